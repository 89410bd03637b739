import Foundation
import Testing
import TestSupport
@testable import GitOpsCore

/// The `kind: age` entries of shared/vectors/manifest.json.
struct AgeManifestVector: Decodable, CustomStringConvertible, Sendable {
    let name: String
    let kind: String
    let encrypted: String
    let identities: [String]?
    let ssh_identities: [String]?
    let passphrases: [String]?
    let plaintext: String
    let plaintext_sha256: String

    var description: String { name }

    static func all() -> [AgeManifestVector] {
        let url = TestPaths.vectors.appendingPathComponent("manifest.json")
        guard let data = try? Data(contentsOf: url),
              let entries = try? JSONDecoder().decode([Entry].self, from: data) else { return [] }
        return entries.compactMap(\.age)
    }

    /// Decodes any manifest entry, keeping the age ones.
    struct Entry: Decodable {
        let age: AgeManifestVector?
        init(from decoder: Decoder) throws {
            age = try? AgeManifestVector(from: decoder)
        }
    }
}

func readVector(_ relative: String) throws -> [UInt8] {
    Array(try Data(contentsOf: TestPaths.vectors.appendingPathComponent(relative)))
}

@Suite struct AgeVectorTests {
    @Test func manifestListsTheAgeVectors() {
        #expect(AgeManifestVector.all().filter { $0.kind == "age" }.count == 22)
    }

    @Test(arguments: AgeManifestVector.all().filter { $0.kind == "age" })
    func manifestVectorDecrypts(_ vector: AgeManifestVector) throws {
        var identities: [AgeIdentity] = []
        for file in (vector.identities ?? []) + (vector.ssh_identities ?? []) {
            identities += try AgeIdentity.parseIdentityFile(try readVector(file), source: file)
        }
        identities += (vector.passphrases ?? []).map { .scrypt(ScryptIdentity(passphrase: SecretBytes(utf8: $0))) }
        let plaintext = try AgeDecryptor(identities: identities).decrypt(try readVector(vector.encrypted))
        #expect(hexSHA256(plaintext) == vector.plaintext_sha256)
        #expect(plaintext == (try readVector(vector.plaintext)))
    }

    @Test func passphraseEncryptedIdentityFile() throws {
        let file = try readVector("age-upstream/sops-mock-encrypted-identity.age")
        #expect(throws: CryptoError.self) { try AgeIdentity.parseIdentityFile(file, source: "id.age") }
        var asked = 0
        let identities = try AgeIdentity.parseIdentityFile(file, source: "id.age") {
            asked += 1
            return SecretBytes(utf8: "passphrase")
        }
        #expect(asked == 1)
        let plaintext = try AgeDecryptor(identities: identities).decrypt(try readVector("age-upstream/sops-mock-encrypted-key.age"))
        #expect(plaintext == Array("data".utf8))
        #expect(throws: CryptoError.noIdentityMatched) {
            try AgeIdentity.parseIdentityFile(file, source: "id.age") { SecretBytes(utf8: "wrong") }
        }
    }

    @Test func wrongIdentityIsNoMatch() throws {
        let dave = try AgeIdentity.parseIdentityFile(try readVector("keys/dave.txt"), source: "dave.txt")
        #expect(throws: CryptoError.noIdentityMatched) {
            try AgeDecryptor(identities: dave).decrypt(try readVector("age/x25519.age"))
        }
    }

    @Test func passphraseFileWithoutPassphraseAsksForOne() throws {
        let alice = try AgeIdentity.parseIdentityFile(try readVector("keys/alice.txt"), source: "alice.txt")
        let error = #expect(throws: CryptoError.passphraseRequired) {
            try AgeDecryptor(identities: alice).decrypt(try readVector("age/scrypt.age"))
        }
        #expect(error?.hint?.contains("-p") == true)
    }

    @Test func postQuantumKeyFileIsRefused() throws {
        let error = #expect(throws: CryptoError.self) {
            try AgeIdentity.parseIdentityFile(try readVector("keys/kc-age-pq.txt"), source: "kc-age-pq.txt")
        }
        guard case .postQuantumUnsupported = error else { Issue.record("got \(String(describing: error))"); return }
        #expect(error?.description.contains("not support") == true)
    }

    @Test func postQuantumRecipientIsRefused() throws {
        let text = String(decoding: try readVector("keys/kc-age-pq.txt"), as: UTF8.self)
        guard let line = text.split(separator: "\n").first(where: { $0.hasPrefix("# public key: ") }) else {
            Issue.record("no public key comment"); return
        }
        let recipient = String(line.dropFirst("# public key: ".count))
        #expect(recipient.hasPrefix("age1pq1"))
        let error = #expect(throws: CryptoError.self) { try AgeRecipient(parsing: recipient) }
        guard case .postQuantumUnsupported = error else { Issue.record("got \(String(describing: error))"); return }
    }
}
