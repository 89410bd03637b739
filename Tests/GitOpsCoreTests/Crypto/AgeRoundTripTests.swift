import Foundation
import Testing
import TestSupport
@testable import GitOpsCore

@Suite struct AgeRoundTripTests {
    static let sizes = [0, 1, 48, 65535, 65536, 65537, 2 * 65536, 64 * 65536, 64 * 65536 + 1, 200_000]

    static func pattern(_ count: Int) -> [UInt8] { (0..<count).map { UInt8(truncatingIfNeeded: $0 &* 7 &+ 3) } }

    @Test(arguments: sizes)
    func encryptThenDecrypt(_ size: Int) throws {
        let identity = try X25519Identity.generate()
        let plaintext = Self.pattern(size)
        for armored in [false, true] {
            let file = try AgeEncryptor(recipients: [.x25519(identity.recipient)]).encrypt(plaintext, armored: armored)
            let expectedChunks = max(1, (size + 65535) / 65536)
            if !armored {
                // Header + 16-byte nonce + one 16-byte tag per chunk: no extra empty chunk.
                let headerEnd = file.firstRange(of: Array("\n--- ".utf8))!.upperBound + 43 + 1
                #expect(file.count - headerEnd - 16 == size + 16 * expectedChunks)
            }
            #expect(try AgeDecryptor(identities: [.x25519(identity)]).decrypt(file) == plaintext)
        }
    }

    @Test func fiveRecipientsEachDecrypt() throws {
        let identities = try (0..<5).map { _ in try X25519Identity.generate() }
        let file = try AgeEncryptor(recipients: identities.map { .x25519($0.recipient) }).encrypt(Array("five".utf8))
        for identity in identities {
            #expect(try AgeDecryptor(identities: [.x25519(identity)]).decrypt(file) == Array("five".utf8))
        }
    }

    @Test func passphraseMustBeAlone() throws {
        let scrypt = AgeRecipient.scrypt(ScryptRecipient(passphrase: SecretBytes(utf8: "pw"), workFactor: 10))
        let other = AgeRecipient.x25519(try X25519Identity.generate().recipient)
        #expect(throws: CryptoError.passphraseWithOtherRecipients) { try AgeEncryptor(recipients: [scrypt, other]) }
        let file = try AgeEncryptor(recipients: [scrypt]).encrypt(Array("x".utf8))
        #expect(try AgeDecryptor(identities: [.scrypt(ScryptIdentity(passphrase: SecretBytes(utf8: "pw")))]).decrypt(file) == Array("x".utf8))
        #expect(throws: CryptoError.noIdentityMatched) {
            try AgeDecryptor(identities: [.scrypt(ScryptIdentity(passphrase: SecretBytes(utf8: "nope")))]).decrypt(file)
        }
    }

    @Test func armorIsWrittenAsAgeWritesIt() throws {
        let identity = try X25519Identity.generate()
        let text = String(decoding: try AgeEncryptor(recipients: [.x25519(identity.recipient)]).encrypt(Self.pattern(1000), armored: true), as: UTF8.self)
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines.first == "-----BEGIN AGE ENCRYPTED FILE-----")
        #expect(lines[lines.count - 2] == "-----END AGE ENCRYPTED FILE-----" && lines.last == "")
        #expect(lines.dropFirst().dropLast(3).allSatisfy { $0.count == 64 })
        #expect(lines[lines.count - 3].count <= 64)
    }

    @Test func tamperedHeaderFailsBeforeAnyPlaintext() throws {
        let identity = try X25519Identity.generate()
        var file = try AgeEncryptor(recipients: [.x25519(identity.recipient)]).encrypt(Self.pattern(100))
        let macStart = file.firstRange(of: Array("\n--- ".utf8))!.upperBound
        file[macStart] = file[macStart] == UInt8(ascii: "A") ? UInt8(ascii: "B") : UInt8(ascii: "A")
        let sink = RecordingSink()
        #expect(throws: CryptoError.self) {
            try AgeDecryptor(identities: [.x25519(identity)]).decrypt(from: MemorySource(file), to: sink)
        }
        #expect(sink.bytes.isEmpty)
    }

    @Test func dataKeyWrapForSops() throws {
        let identity = try X25519Identity.generate()
        let dataKey = SecretBytes.random(count: 32)
        let armored = try AgeDataKey.wrap(dataKey, for: .x25519(identity.recipient))
        #expect(armored.hasPrefix("-----BEGIN AGE ENCRYPTED FILE-----\n"))
        #expect(armored.hasSuffix("-----END AGE ENCRYPTED FILE-----\n"))
        #expect(armored.components(separatedBy: "\n-> ").count == 1)
        let unwrapped = try AgeDataKey.unwrap(armored, with: [.x25519(identity)])
        #expect(unwrapped.constantTimeEquals(dataKey))
        #expect(!unwrapped.description.contains("0x"))
    }

    @Test func dataKeyFromSopsVector() throws {
        // The enc block of a real sops file: the data key must be 32 bytes.
        let text = String(decoding: try readVector("sops/y01-basic.enc.yaml"), as: UTF8.self)
        guard let start = text.range(of: "-----BEGIN AGE ENCRYPTED FILE-----"),
              let end = text.range(of: "-----END AGE ENCRYPTED FILE-----") else { Issue.record("no enc"); return }
        let armored = text[start.lowerBound..<end.upperBound].split(separator: "\n")
            .map { $0.trimmingCharacters(in: .whitespaces) }.joined(separator: "\n") + "\n"
        let identities = try AgeIdentity.parseIdentityFile(try readVector("keys/alice.txt"), source: "alice.txt")
        #expect(try AgeDataKey.unwrap(armored, with: identities).count == 32)
    }
}
