import Testing
@testable import GitOpsCore

/// SOPS values go through libcrypto's GCM mode on its AES block function (no EVP provider
/// start-up); that must be byte-identical to libcrypto's EVP AES-256-GCM, for sops's 32-byte
/// IVs and any other length.
@Suite struct AESGCMTests {
    func randomKey() -> SecretBytes {
        var bytes = Sodium.randomBytes(32)
        return SecretBytes(consuming: &bytes)
    }

    static let shapes: [(ivLength: Int, aadLength: Int, textLength: Int)] =
        [1, 12, 16, 32, 61].flatMap { iv in [(iv, 0, 0), (iv, 0, 1), (iv, 5, 15), (iv, 16, 16), (iv, 17, 33), (iv, 40, 100), (iv, 3, 1000)] }

    @Test(arguments: shapes)
    func modesMatchEVP(shape: (ivLength: Int, aadLength: Int, textLength: Int)) throws {
        let key = randomKey()
        let iv = Sodium.randomBytes(shape.ivLength)
        let aad = Sodium.randomBytes(shape.aadLength)
        let plaintext = Sodium.randomBytes(shape.textLength)

        let ours = try #require(AESGCM.seal(plaintext, key: key, iv: iv, aad: aad))
        let evp = try #require(AESGCM.sealWithEVP(plaintext, key: key, iv: iv, aad: aad))
        #expect(ours.ciphertext == evp.ciphertext)
        #expect(ours.tag == evp.tag)
        #expect(AESGCM.open(evp.ciphertext, tag: evp.tag, key: key, iv: iv, aad: aad) == plaintext)
        #expect(AESGCM.openWithEVP(ours.ciphertext, tag: ours.tag, key: key, iv: iv, aad: aad) == plaintext)
    }

    @Test
    func anyChangedInputIsRefused() throws {
        let key = randomKey()
        let iv = Sodium.randomBytes(32)
        let aad = Array("data:password:".utf8)
        let sealed = try #require(AESGCM.seal(Array("hunter2".utf8), key: key, iv: iv, aad: aad))
        var tag = sealed.tag
        tag[15] ^= 1
        var ciphertext = sealed.ciphertext
        ciphertext[0] ^= 0x80
        var otherIV = iv
        otherIV[31] ^= 1
        #expect(AESGCM.open(sealed.ciphertext, tag: tag, key: key, iv: iv, aad: aad) == nil)
        #expect(AESGCM.open(ciphertext, tag: sealed.tag, key: key, iv: iv, aad: aad) == nil)
        #expect(AESGCM.open(sealed.ciphertext, tag: sealed.tag, key: key, iv: otherIV, aad: aad) == nil)
        #expect(AESGCM.open(sealed.ciphertext, tag: sealed.tag, key: key, iv: iv, aad: aad + [0x3a]) == nil)
        #expect(AESGCM.open(sealed.ciphertext, tag: sealed.tag, key: randomKey(), iv: iv, aad: aad) == nil)
    }
}

/// libcrypto is opened on first use (the EVP comparisons above load the real one); a missing
/// file is a named error, not a loader failure.
@Suite struct LibCryptoTests {
    @Test func aMissingLibraryIsNamed() {
        guard case let .failure(error) = LibCrypto.load(from: ["libcrypto-missing.so.3"]) else {
            Issue.record("a missing file loaded")
            return
        }
        #expect(error.description.contains("libcrypto-missing.so.3"))
    }
}
