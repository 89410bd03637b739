import Foundation
import Testing
import TestSupport
@testable import GitOpsCore

/// One C2SP/CCTV age vector: `key: value` lines, an empty line, the age file.
struct CCTVVector: CustomStringConvertible {
    let name: String
    let expect: String
    let payloadHash: String?
    let identities: [String]
    let passphrases: [String]
    let armored: Bool
    let file: [UInt8]

    var description: String { name }
    var isPostQuantum: Bool { name.hasPrefix("hybrid") || name == "armor_hybrid" }

    static let directory = TestPaths.vectors.appendingPathComponent("age-cctv")

    static func all() -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []).sorted()
    }

    init(name: String) throws {
        self.name = name
        let bytes = Array(try Data(contentsOf: CCTVVector.directory.appendingPathComponent(name)))
        var position = 0
        var fields: [(String, String)] = []
        while let newline = bytes[position...].firstIndex(of: 10) {
            let line = String(decoding: bytes[position..<newline], as: UTF8.self)
            position = newline + 1
            if line.isEmpty { break }
            let parts = line.split(separator: ":", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            fields.append((parts[0], parts.count > 1 ? parts[1] : ""))
        }
        func values(_ key: String) -> [String] { fields.filter { $0.0 == key }.map(\.1) }
        expect = values("expect").first ?? ""
        payloadHash = values("payload").first
        identities = values("identity")
        passphrases = values("passphrase")
        armored = values("armored").first == "yes"
        var body = Array(bytes[position...])
        if values("compressed").first == "zlib" {
            let result = try ProcessRunner.run(tool: "python3", ["-c", "import sys,zlib; sys.stdout.buffer.write(zlib.decompress(sys.stdin.buffer.read()))"],
                                               stdin: Data(body))
            body = Array(result.stdout)
        }
        file = body
    }
}

/// Records everything released, so a payload failure can be checked against the hash of the
/// plaintext age released before it.
final class RecordingSink: ByteSink {
    var bytes: [UInt8] = []
    func write(_ buffer: [UInt8], _ range: Range<Int>) throws { bytes += buffer[range] }
}

func hexSHA256(_ bytes: [UInt8]) -> String {
    Sodium.sha256(bytes).map { String(format: "%02x", $0) }.joined()
}

/// The CCTV expectation an error corresponds to.
func cctvCategory(_ error: Error) -> String {
    guard let error = error as? CryptoError else { return "other: \(error)" }
    switch error {
    case .noIdentityMatched: return "no match"
    case .badHeaderMAC: return "HMAC failure"
    case .payload: return "payload failure"
    case .armor: return "armor failure"
    case .malformedHeader, .invalidStanza, .scryptNotAlone, .scryptWorkFactorTooLarge, .notAgeFile: return "header failure"
    default: return "other: \(error)"
    }
}

@Suite struct AgeCCTVTests {
    @Test func allVectorsArePresent() {
        #expect(CCTVVector.all().count == 143)
    }

    @Test(arguments: CCTVVector.all())
    func cctvVector(_ name: String) throws {
        let vector = try CCTVVector(name: name)
        var identities: [AgeIdentity] = []
        for text in vector.identities {
            guard let identity = try? X25519Identity(parsing: text) else {
                // Only the hybrid vectors carry identities that are not X25519; they must be
                // refused (see postQuantumIdentitiesAreRefusedClearly), never half-used.
                #expect(vector.isPostQuantum, "identity of \(name) refused")
                return
            }
            identities.append(.x25519(identity))
        }
        identities += vector.passphrases.map { .scrypt(ScryptIdentity(passphrase: SecretBytes(utf8: $0))) }
        let sink = RecordingSink()
        let decryptor = AgeDecryptor(identities: identities)
        do {
            if vector.armored {
                try decryptor.decryptArmored(from: MemorySource(vector.file), to: sink)
            } else {
                try decryptor.decryptBinary(from: BufferedReader(MemorySource(vector.file)), to: sink)
            }
            #expect(vector.expect == "success", "\(name) decrypted but expected \(vector.expect)")
        } catch {
            #expect(cctvCategory(error) == vector.expect, "\(name): \(error)")
        }
        if let hash = vector.payloadHash {
            #expect(hexSHA256(sink.bytes) == hash, "\(name): released plaintext differs")
        } else {
            #expect(sink.bytes.isEmpty, "\(name): released plaintext on failure")
        }
    }

    @Test func postQuantumIdentitiesAreRefusedClearly() throws {
        for name in CCTVVector.all() where name.hasPrefix("hybrid") {
            let vector = try CCTVVector(name: name)
            for identity in vector.identities where identity.hasPrefix("AGE-SECRET-KEY-PQ-") {
                #expect(throws: CryptoError.postQuantumUnsupported("identity at \(name):1")) {
                    try AgeIdentity.parseIdentityFile(Array(identity.utf8), source: name)
                }
            }
        }
    }
}
