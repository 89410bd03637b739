import Foundation
import Testing
import TestSupport
@testable import GitOpsCore

/// SOPS values go through Nettle's AES-256-GCM; the independent reference is the `cryptography`
/// package of the machine's python3 (OpenSSL underneath), over sops's 32-byte IVs and the other
/// lengths it accepts (8...128 bytes).
@Suite struct AESGCMTests {
    func randomKey() -> SecretBytes {
        var bytes = Sodium.randomBytes(32)
        return SecretBytes(consuming: &bytes)
    }

    struct Case {
        var key: [UInt8], iv: [UInt8], aad: [UInt8], plaintext: [UInt8]
    }

    static let shapes: [(ivLength: Int, aadLength: Int, textLength: Int)] =
        [8, 12, 16, 32, 61].flatMap { iv in [(iv, 0, 0), (iv, 0, 1), (iv, 5, 15), (iv, 16, 16), (iv, 17, 33), (iv, 40, 100), (iv, 3, 1000)] }

    static func hex(_ bytes: [UInt8]) -> String { bytes.map { String(format: "%02x", $0) }.joined() }

    static func bytes(hex: Substring) -> [UInt8] {
        var result: [UInt8] = []
        var index = hex.startIndex
        while index < hex.endIndex, let next = hex.index(index, offsetBy: 2, limitedBy: hex.endIndex),
              let byte = UInt8(hex[index..<next], radix: 16) {
            result.append(byte)
            index = next
        }
        return result
    }

    /// python's AES-GCM output (ciphertext followed by the tag) for every case, one hex line each.
    static func referenceSeal(_ cases: [Case]) throws -> [[UInt8]] {
        let input = cases.map { [hex($0.key), hex($0.iv), hex($0.aad), hex($0.plaintext)].joined(separator: " ") }
            .joined(separator: "\n")
        let script = """
        import sys
        from cryptography.hazmat.primitives.ciphers.aead import AESGCM
        for line in sys.stdin.read().splitlines():
            k, iv, aad, pt = (bytes.fromhex(f) for f in (line.split(" ") + [""] * 4)[:4])
            print(AESGCM(k).encrypt(iv, pt, aad or None).hex())
        """
        let result = try ProcessRunner.run(tool: "python3", ["-c", script], stdin: Data(input.utf8))
        #expect(result.status == 0, "\(result.stderrText)")
        return result.stdoutText.split(separator: "\n").map { bytes(hex: $0) }
    }

    @Test
    func sealAndOpenMatchAnIndependentAESGCM() throws {
        let cases = Self.shapes.map { shape in
            Case(key: Sodium.randomBytes(32), iv: Sodium.randomBytes(shape.ivLength),
                 aad: Sodium.randomBytes(shape.aadLength), plaintext: Sodium.randomBytes(shape.textLength))
        }
        let aes = try AESGCM()
        let reference = try Self.referenceSeal(cases)
        try #require(reference.count == cases.count)
        for (sample, expected) in zip(cases, reference) {
            var keyBytes = sample.key
            let key = SecretBytes(consuming: &keyBytes)
            let ours = try #require(aes.seal(sample.plaintext, key: key, iv: sample.iv, aad: sample.aad))
            #expect(ours.ciphertext + ours.tag == expected, "iv \(sample.iv.count), aad \(sample.aad.count), text \(sample.plaintext.count)")
            let opened = aes.open(Array(expected.dropLast(16)), tag: Array(expected.suffix(16)), key: key,
                                     iv: sample.iv, aad: sample.aad)
            #expect(opened == sample.plaintext)
        }
    }

    @Test
    func anyChangedInputIsRefused() throws {
        let aes = try AESGCM()
        let key = randomKey()
        let iv = Sodium.randomBytes(32)
        let aad = Array("data:password:".utf8)
        let sealed = try #require(aes.seal(Array("hunter2".utf8), key: key, iv: iv, aad: aad))
        var tag = sealed.tag
        tag[15] ^= 1
        var ciphertext = sealed.ciphertext
        ciphertext[0] ^= 0x80
        var otherIV = iv
        otherIV[31] ^= 1
        #expect(aes.open(sealed.ciphertext, tag: tag, key: key, iv: iv, aad: aad) == nil)
        #expect(aes.open(ciphertext, tag: sealed.tag, key: key, iv: iv, aad: aad) == nil)
        #expect(aes.open(sealed.ciphertext, tag: sealed.tag, key: key, iv: otherIV, aad: aad) == nil)
        #expect(aes.open(sealed.ciphertext, tag: sealed.tag, key: key, iv: iv, aad: aad + [0x3a]) == nil)
        #expect(aes.open(sealed.ciphertext, tag: sealed.tag, key: randomKey(), iv: iv, aad: aad) == nil)
    }
}

/// libcrypto and Nettle are opened on first use; a missing file is a named error, not a loader
/// failure.
@Suite struct LibCryptoTests {
    @Test func aMissingLibraryIsNamed() {
        guard case let .failure(error) = LibCrypto.load(from: ["libcrypto-missing.so.3"]) else {
            Issue.record("a missing file loaded")
            return
        }
        #expect(error.description.contains("libcrypto-missing.so.3"))
    }

    @Test func aMissingNettleIsNamedWithTheInstallHint() {
        guard case let .failure(error) = LibNettle.load(from: ["libnettle-missing.so.8"]) else {
            Issue.record("a missing file loaded")
            return
        }
        #expect(error.description.contains("libnettle-missing.so.8"))
        #expect(error.description.contains("install it"))
    }
}
