internal import CCrypto

/// The only file in SOPS that calls libcrypto: AES-256-GCM with the 32-byte IVs sops uses
/// (libsodium offers only 12-byte nonces). OpenSSL derives J0 with GHASH for IVs that are not
/// 96 bits long, exactly as Go's `cipher.NewGCMWithNonceSize(block, 32)` does.
enum AESGCM {
    static let tagSize = 16

    /// Seals `plaintext`; returns ciphertext (same length) and the 16-byte tag.
    static func seal(_ plaintext: [UInt8], key: SecretBytes, iv: [UInt8], aad: [UInt8]) -> (ciphertext: [UInt8], tag: [UInt8])? {
        guard key.count == 32, !iv.isEmpty, let context = EVP_CIPHER_CTX_new() else { return nil }
        defer { EVP_CIPHER_CTX_free(context) }
        guard start(context, key: key, iv: iv, encrypt: true), feedAAD(context, aad, encrypt: true) else { return nil }
        var ciphertext = [UInt8](repeating: 0, count: plaintext.count + 16)
        var written: Int32 = 0
        if !plaintext.isEmpty {
            let ok = ciphertext.withUnsafeMutableBufferPointer { out in
                plaintext.withUnsafeBufferPointer { input in
                    EVP_EncryptUpdate(context, out.baseAddress, &written, input.baseAddress, Int32(input.count))
                }
            }
            guard ok == 1 else { return nil }
        }
        var finalLength: Int32 = 0
        let finished = ciphertext.withUnsafeMutableBufferPointer { out in
            EVP_EncryptFinal_ex(context, out.baseAddress! + Int(written), &finalLength)
        }
        guard finished == 1 else { return nil }
        var tag = [UInt8](repeating: 0, count: tagSize)
        let tagged = tag.withUnsafeMutableBytes {
            EVP_CIPHER_CTX_ctrl(context, EVP_CTRL_GCM_GET_TAG, Int32(tagSize), $0.baseAddress)
        }
        guard tagged == 1 else { return nil }
        ciphertext.removeLast(ciphertext.count - Int(written + finalLength))
        return (ciphertext, tag)
    }

    /// Opens a value; nil when authentication fails (wrong key, AAD, IV or tampered bytes).
    static func open(_ ciphertext: [UInt8], tag: [UInt8], key: SecretBytes, iv: [UInt8], aad: [UInt8]) -> [UInt8]? {
        guard key.count == 32, !iv.isEmpty, tag.count == tagSize, let context = EVP_CIPHER_CTX_new() else { return nil }
        defer { EVP_CIPHER_CTX_free(context) }
        guard start(context, key: key, iv: iv, encrypt: false), feedAAD(context, aad, encrypt: false) else { return nil }
        var plaintext = [UInt8](repeating: 0, count: ciphertext.count + 16)
        var written: Int32 = 0
        if !ciphertext.isEmpty {
            let ok = plaintext.withUnsafeMutableBufferPointer { out in
                ciphertext.withUnsafeBufferPointer { input in
                    EVP_DecryptUpdate(context, out.baseAddress, &written, input.baseAddress, Int32(input.count))
                }
            }
            guard ok == 1 else { return nil }
        }
        var expected = tag
        let tagSet = expected.withUnsafeMutableBytes {
            EVP_CIPHER_CTX_ctrl(context, EVP_CTRL_GCM_SET_TAG, Int32(tagSize), $0.baseAddress)
        }
        var finalLength: Int32 = 0
        let verified = plaintext.withUnsafeMutableBufferPointer { out in
            EVP_DecryptFinal_ex(context, out.baseAddress! + Int(written), &finalLength)
        }
        guard tagSet == 1, verified == 1 else {
            Sodium.zero(&plaintext)
            return nil
        }
        plaintext.removeLast(plaintext.count - Int(written + finalLength))
        return plaintext
    }

    private static func start(_ context: OpaquePointer, key: SecretBytes, iv: [UInt8], encrypt: Bool) -> Bool {
        let initialise = encrypt ? EVP_EncryptInit_ex : EVP_DecryptInit_ex
        guard initialise(context, EVP_aes_256_gcm(), nil, nil, nil) == 1,
              EVP_CIPHER_CTX_ctrl(context, EVP_CTRL_GCM_SET_IVLEN, Int32(iv.count), nil) == 1 else { return false }
        return key.withUnsafeBytes { k in
            iv.withUnsafeBufferPointer { v in
                initialise(context, nil, nil, k.baseAddress!.assumingMemoryBound(to: UInt8.self), v.baseAddress) == 1
            }
        }
    }

    private static func feedAAD(_ context: OpaquePointer, _ aad: [UInt8], encrypt: Bool) -> Bool {
        guard !aad.isEmpty else { return true }
        let update = encrypt ? EVP_EncryptUpdate : EVP_DecryptUpdate
        var length: Int32 = 0
        return aad.withUnsafeBufferPointer { a in
            update(context, nil, &length, a.baseAddress, Int32(a.count)) == 1
        }
    }
}
