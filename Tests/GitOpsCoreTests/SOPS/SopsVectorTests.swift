import Foundation
import Testing
import TestSupport
@testable import GitOpsCore

/// The `kind: sops` entries of shared/vectors/manifest.json.
struct SopsManifestVector: Decodable, CustomStringConvertible, Sendable {
    struct Extract: Decodable, Sendable {
        let path: String
        let expected_output: String
    }

    let name: String
    let kind: String
    let format: String
    let encrypted: String
    let identities: [String]?
    let ssh_identities: [String]?
    let expected_result: String
    let expected_decrypt_output: String?
    let expected_decrypt_output_with_ignore_mac: String?
    let expected_error: String?
    let sops_exit_code: Int32?
    let extracts: [Extract]?
    let optional: Bool?
    let plain_input: String?
    let config: String?
    let encrypt_command: String?

    var description: String { name }

    static func all() -> [SopsManifestVector] {
        let url = TestPaths.vectors.appendingPathComponent("manifest.json")
        guard let data = try? Data(contentsOf: url),
              let entries = try? JSONDecoder().decode([Entry].self, from: data) else { return [] }
        return entries.compactMap(\.sops).filter { $0.kind == "sops" && $0.optional != true }
    }

    struct Entry: Decodable {
        let sops: SopsManifestVector?
        init(from decoder: Decoder) throws { sops = try? SopsManifestVector(from: decoder) }
    }

    var sopsFormat: SopsFormat { SopsFormat(rawValue: format) ?? .binary }

    func loadIdentities() throws -> [AgeIdentity] {
        try ((identities ?? []) + (ssh_identities ?? [])).flatMap { file in
            try AgeIdentity.parseIdentityFile(sopsVectorBytes(file), source: file)
        }
    }
}

func sopsVectorBytes(_ relative: String) throws -> [UInt8] {
    Array(try Data(contentsOf: TestPaths.vectors.appendingPathComponent(relative)))
}

@Suite struct SopsVectorTests {
    static let vectors = SopsManifestVector.all()
    static let successes = vectors.filter { $0.expected_result == "success" }

    @Test func manifestListsTheSopsVectors() {
        #expect(Self.vectors.count >= 27)
    }

    @Test(arguments: successes)
    func decryptMatchesSopsOutputByteForByte(vector: SopsManifestVector) throws {
        let file = try SopsFile.open(try sopsVectorBytes(vector.encrypted), path: vector.encrypted,
                                     format: vector.sopsFormat, identities: try vector.loadIdentities())
        let expected = try sopsVectorBytes(try #require(vector.expected_decrypt_output))
        let actual = try file.plaintext()
        #expect(String(decoding: actual, as: UTF8.self) == String(decoding: expected, as: UTF8.self))
        #expect(actual == expected)
    }

    @Test(arguments: successes.filter { $0.extracts != nil })
    func extractMatchesSops(vector: SopsManifestVector) throws {
        let file = try SopsFile.open(try sopsVectorBytes(vector.encrypted), path: vector.encrypted,
                                     format: vector.sopsFormat, identities: try vector.loadIdentities())
        for extract in vector.extracts ?? [] {
            let expected = try sopsVectorBytes(extract.expected_output)
            let actual = try file.plaintext(extract: extract.path)
            #expect(String(decoding: actual, as: UTF8.self) == String(decoding: expected, as: UTF8.self), "\(extract.path)")
        }
    }

    @Test func decryptRejectsTamperedMACWithSopsMessageAndCode() throws {
        let vector = try #require(Self.vectors.first { $0.expected_result == "mac_mismatch" })
        let expected = String(decoding: try sopsVectorBytes(try #require(vector.expected_error)), as: UTF8.self)
        do {
            _ = try SopsFile.open(try sopsVectorBytes(vector.encrypted), path: vector.encrypted, format: .yaml,
                                  identities: try vector.loadIdentities())
            Issue.record("a tampered file decrypted")
        } catch let error as SopsError {
            #expect(error.exitCode == 51)
            #expect(expected.contains(error.description))
        }
        let ignored = try SopsFile.open(try sopsVectorBytes(vector.encrypted), path: vector.encrypted, format: .yaml,
                                        identities: try vector.loadIdentities(), ignoreMAC: true)
        let expectedPlain = try sopsVectorBytes(try #require(vector.expected_decrypt_output_with_ignore_mac))
        #expect(try ignored.plaintext() == expectedPlain)
    }

    @Test func decryptRejectsValueMovedToAnotherKey() throws {
        let vector = try #require(Self.vectors.first { $0.expected_result == "decrypt_error" })
        do {
            _ = try SopsFile.open(try sopsVectorBytes(vector.encrypted), path: vector.encrypted, format: .yaml,
                                  identities: try vector.loadIdentities())
            Issue.record("a file with swapped values decrypted")
        } catch let error as SopsError {
            #expect(error.exitCode == vector.sops_exit_code)
            #expect(error.description.contains("credentials.api_"))
        }
    }

    @Test func shamirVectorNeedsBothGroups() throws {
        let vector = try #require(Self.vectors.first { $0.name == "y09-shamir-2of2" })
        let alice = try AgeIdentity.parseIdentityFile(try sopsVectorBytes("keys/alice.txt"), source: "alice")
        do {
            _ = try SopsFile.open(try sopsVectorBytes(vector.encrypted), path: vector.encrypted, format: .yaml, identities: alice)
            Issue.record("one share recovered the data key")
        } catch let error as SopsError {
            #expect(error.exitCode == 128)
        }
    }

    @Test func noMatchingIdentityListsTheRecipients() throws {
        let vector = try #require(Self.vectors.first { $0.name == "y04-multi-recipient" })
        let dave = try AgeIdentity.parseIdentityFile(try sopsVectorBytes("keys/dave.txt"), source: "dave")
        do {
            _ = try SopsFile.open(try sopsVectorBytes(vector.encrypted), path: vector.encrypted, format: .yaml, identities: dave)
            Issue.record("a wrong identity decrypted")
        } catch let error as SopsError {
            #expect(error.exitCode == 128)
            #expect(error.description.contains("age1dd2x46en7tylu7rwaw7e7pzp84rl7tkj264vf054dxvkzsrggs3s6hg6tv"))
            #expect(error.description.contains("no identity matched"))
        }
    }
}
