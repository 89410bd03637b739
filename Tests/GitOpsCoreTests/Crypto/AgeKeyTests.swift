import Foundation
import Testing
import TestSupport
@testable import GitOpsCore

@Suite struct AgeKeyTests {
    static let alice = "age1dd2x46en7tylu7rwaw7e7pzp84rl7tkj264vf054dxvkzsrggs3s6hg6tv"
    static let aliceSecret = "AGE-SECRET-KEY-1XGF8RZUGCQ7HKEVXKZ3WS32HG259CFUZ868GQ6UEGYW979VL3UCSPSJ2L8"

    @Test func identityDerivesItsRecipient() throws {
        let identity = try X25519Identity(parsing: Self.aliceSecret)
        #expect(identity.recipient.description == Self.alice)
        #expect(identity.secretKeyString == Self.aliceSecret)
    }

    @Test func recipientRoundTrips() throws {
        #expect(try X25519Recipient(parsing: Self.alice).description == Self.alice)
    }

    static let badRecipients: [(String, String)] = [
        (alice.uppercased(), "invalid type"),                       // age refuses upper-case recipients
        (String(alice.dropLast()) + "u", "invalid checksum"),
        ("age1DD2x46en7tylu7rwaw7e7pzp84rl7tkj264vf054dxvkzsrggs3s6hg6tv", "mixed case"),
        (String(alice.prefix(40)), "invalid checksum"),
        ("age1", "separator"),
        ("age1qqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqq", "invalid checksum"),
        ("agex" + alice.dropFirst(4), "unknown recipient type"),
    ]

    @Test(arguments: badRecipients)
    func malformedRecipientIsQuotedInTheError(_ input: String, _ reason: String) {
        let error = #expect(throws: CryptoError.self) { try AgeRecipient(parsing: input) }
        #expect(error?.description.contains(input) == true, "\(String(describing: error))")
        #expect(error?.description.contains(reason) == true, "\(String(describing: error))")
    }

    @Test func lowerCaseIdentityIsRefused() {
        #expect(throws: CryptoError.self) { try X25519Identity(parsing: Self.aliceSecret.lowercased()) }
    }

    @Test func bech32WithoutLengthLimit() {
        // age drops BIP 173's 90-character limit; a 64-byte payload must round-trip.
        let data = (0..<64).map { UInt8($0) }
        let encoded = Bech32.encode(hrp: "test", data: data)
        #expect(encoded.count > 90)
        guard case .success(let decoded) = Bech32.decode(encoded) else { Issue.record("decode failed"); return }
        #expect(decoded.hrp == "test" && decoded.data == data)
    }

    @Test func identityFileWithSeveralKeysAndComments() throws {
        let text = "# created: x\n\n# public key: y\n\(Self.aliceSecret)\r\n\(try X25519Identity.generate().secretKeyString)\n"
        let identities = try AgeIdentity.parseIdentityFile(Array(text.utf8), source: "keys.txt")
        #expect(identities.count == 2)
        #expect(identities.first?.recipient?.description == Self.alice)
    }

    static let badIdentityFiles: [(String, Int)] = [
        (" \(aliceSecret)\n", 1),                   // leading whitespace
        ("# ok\n\(aliceSecret) \n", 2),             // trailing whitespace
        ("# ok\n\n\n AGE\n", 4),
        ("\(aliceSecret)\n\(aliceSecret.dropLast())\n", 2),
        (" # indented comment\n", 1),
    ]

    @Test(arguments: badIdentityFiles)
    func malformedIdentityNamesTheLineNotTheSecret(_ text: String, _ line: Int) {
        let error = #expect(throws: CryptoError.self) {
            try AgeIdentity.parseIdentityFile(Array(text.utf8), source: "keys.txt")
        }
        #expect(error?.description.hasPrefix("keys.txt:\(line): ") == true, "\(String(describing: error))")
        #expect(error?.description.contains("AGE-SECRET-KEY-1") == false)
    }

    @Test func emptyIdentityFileIsAnError() {
        #expect(throws: CryptoError.noIdentities(source: "keys.txt")) {
            try AgeIdentity.parseIdentityFile(Array("# nothing\n".utf8), source: "keys.txt")
        }
    }

    @Test func recipientsFileNamesTheBadLine() throws {
        let pub = try String(contentsOf: TestPaths.vectors.appendingPathComponent("keys/ssh_ed25519.pub"), encoding: .utf8)
        let good = "# team\n\(Self.alice)\n\n\(pub)"
        #expect(try AgeRecipient.parseRecipientsFile(good, source: "r.txt").count == 2)
        let error = #expect(throws: CryptoError.self) {
            try AgeRecipient.parseRecipientsFile(good + "age1nope\n", source: "r.txt")
        }
        #expect(error?.description.hasPrefix("r.txt:5: ") == true, "\(String(describing: error))")
    }

    @Test func sshPublicKeyFingerprintAndRoundTrip() throws {
        let pub = try String(contentsOf: TestPaths.vectors.appendingPathComponent("keys/ssh_ed25519.pub"), encoding: .utf8)
        let recipient = try SSHEd25519Recipient(parsing: pub.trimmingCharacters(in: .whitespacesAndNewlines))
        let identities = try AgeIdentity.parseIdentityFile(try readVector("keys/ssh_ed25519"), source: "ssh_ed25519")
        guard case .sshEd25519(let identity) = identities.first else { Issue.record("not an ssh identity"); return }
        #expect(identity.recipient == recipient)
        let file = try AgeEncryptor(recipients: [.sshEd25519(recipient)]).encrypt(Array("hi".utf8))
        #expect(try AgeDecryptor(identities: identities).decrypt(file) == Array("hi".utf8))
    }

    @Test func keygenFileFormat() throws {
        let identity = try X25519Identity.generate()
        let date = Date(timeIntervalSince1970: 1_795_000_000)
        let utc = AgeKeyFile.contents(for: identity, created: date, timeZone: TimeZone(identifier: "UTC")!)
        let lines = utc.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines.count == 4 && lines[3].isEmpty)
        #expect(lines[0] == "# created: 2026-11-18T11:06:40Z")
        #expect(lines[1] == "# public key: \(identity.recipient)")
        #expect(lines[2] == identity.secretKeyString)
        let berlin = AgeKeyFile.contents(for: identity, created: date, timeZone: TimeZone(secondsFromGMT: 3600)!)
        #expect(berlin.hasPrefix("# created: 2026-11-18T12:06:40+01:00\n"))
        #expect(try AgeIdentity.parseIdentityFile(Array(utc.utf8), source: "k").first?.recipient?.description == identity.recipient.description)
    }
}
