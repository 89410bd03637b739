internal import CCrypto

/// The only file in SOPS that calls libcrypto: AES-256-GCM with the 32-byte IVs sops uses
/// (libsodium offers only 12-byte nonces). J0 is derived with GHASH for IVs that are not 96
/// bits long, exactly as Go's `cipher.NewGCMWithNonceSize(block, 32)` does.
///
/// Values go through libcrypto's GCM mode on its AES block function (`ccrypto_gcm_seal` in
/// Sources/CCrypto/shim.h): the first EVP cipher of a process costs one to three milliseconds
/// of provider start-up, more than the rest of a `decrypt`. OpenSSL's EVP AES-256-GCM is kept
/// as the independent reference the tests hold that path to.
enum AESGCM {
    static let tagSize = 16

    /// Seals `plaintext`; returns ciphertext (same length) and the 16-byte tag.
    static func seal(_ plaintext: [UInt8], key: SecretBytes, iv: [UInt8], aad: [UInt8]) -> (ciphertext: [UInt8], tag: [UInt8])? {
        guard key.count == 32, !iv.isEmpty, let api = try? LibCrypto.api() else { return nil }
        var ciphertext = [UInt8](repeating: 0, count: plaintext.count)
        var tag = [UInt8](repeating: 0, count: tagSize)
        let rc = withArguments(key, iv, aad) { k, v, ivCount, a in
            plaintext.withUnsafeBufferPointer { p in
                ciphertext.withUnsafeMutableBufferPointer { c in
                    withUnsafePointer(to: api) { table in
                        ccrypto_gcm_seal(table, k, v, ivCount, a.baseAddress, a.count, p.baseAddress, p.count,
                                         c.baseAddress, &tag)
                    }
                }
            }
        }
        return rc == 0 ? (ciphertext, tag) : nil
    }

    /// Opens a value; nil when authentication fails (wrong key, AAD, IV or tampered bytes),
    /// after libcrypto's output has been wiped.
    static func open(_ ciphertext: [UInt8], tag: [UInt8], key: SecretBytes, iv: [UInt8], aad: [UInt8]) -> [UInt8]? {
        guard key.count == 32, !iv.isEmpty, tag.count == tagSize, let api = try? LibCrypto.api() else { return nil }
        var plaintext = [UInt8](repeating: 0, count: ciphertext.count)
        let rc = withArguments(key, iv, aad) { k, v, ivCount, a in
            ciphertext.withUnsafeBufferPointer { c in
                plaintext.withUnsafeMutableBufferPointer { p in
                    withUnsafePointer(to: api) { table in
                        ccrypto_gcm_open(table, k, v, ivCount, a.baseAddress, a.count, c.baseAddress, c.count,
                                         tag, p.baseAddress)
                    }
                }
            }
        }
        return rc == 0 ? plaintext : nil
    }

    /// Key, IV and AAD as C pointers; -1 without calling `body` when the key or IV is empty.
    private static func withArguments(_ key: SecretBytes, _ iv: [UInt8], _ aad: [UInt8],
                                      _ body: (UnsafePointer<UInt8>, UnsafePointer<UInt8>, Int, UnsafeBufferPointer<UInt8>) -> Int32) -> Int32 {
        key.withUnsafeBytes { k in
            guard let keyBytes = k.baseAddress?.assumingMemoryBound(to: UInt8.self) else { return -1 }
            return iv.withUnsafeBufferPointer { v in
                guard let ivBytes = v.baseAddress else { return -1 }
                return aad.withUnsafeBufferPointer { a in body(keyBytes, ivBytes, v.count, a) }
            }
        }
    }

    static func sealWithEVP(_ plaintext: [UInt8], key: SecretBytes, iv: [UInt8], aad: [UInt8]) -> (ciphertext: [UInt8], tag: [UInt8])? {
        guard key.count == 32, !iv.isEmpty, let api = try? LibCrypto.api(), let context = api.EVP_CIPHER_CTX_new() else { return nil }
        defer { api.EVP_CIPHER_CTX_free(context) }
        guard start(api, context, key: key, iv: iv, encrypt: true), feedAAD(api, context, aad, encrypt: true) else { return nil }
        guard let ciphertext = run(api, context, over: plaintext, encrypt: true) else { return nil }
        var tag = [UInt8](repeating: 0, count: tagSize)
        let tagged = tag.withUnsafeMutableBytes {
            api.EVP_CIPHER_CTX_ctrl(context, EVP_CTRL_GCM_GET_TAG, Int32(tagSize), $0.baseAddress)
        }
        guard tagged == 1 else { return nil }
        return (ciphertext, tag)
    }

    static func openWithEVP(_ ciphertext: [UInt8], tag: [UInt8], key: SecretBytes, iv: [UInt8], aad: [UInt8]) -> [UInt8]? {
        guard key.count == 32, !iv.isEmpty, tag.count == tagSize, let api = try? LibCrypto.api(),
              let context = api.EVP_CIPHER_CTX_new() else { return nil }
        defer { api.EVP_CIPHER_CTX_free(context) }
        guard start(api, context, key: key, iv: iv, encrypt: false), feedAAD(api, context, aad, encrypt: false) else { return nil }
        var expected = tag
        guard api.EVP_CIPHER_CTX_ctrl(context, EVP_CTRL_GCM_SET_TAG, Int32(tagSize), &expected) == 1 else { return nil }
        // The tag is checked by the final step, before the plaintext is handed out.
        return run(api, context, over: ciphertext, encrypt: false)
    }

    /// The update and final steps, in either direction; nil when either fails (for a
    /// decryption: when authentication fails, after zeroing what was produced).
    private static func run(_ api: ccrypto_api, _ context: OpaquePointer, over input: [UInt8], encrypt: Bool) -> [UInt8]? {
        let update = encrypt ? api.EVP_EncryptUpdate : api.EVP_DecryptUpdate
        let finish = encrypt ? api.EVP_EncryptFinal_ex : api.EVP_DecryptFinal_ex
        var output = [UInt8](repeating: 0, count: input.count + 16)
        var written: Int32 = 0
        var finalLength: Int32 = 0
        let ok = output.withUnsafeMutableBufferPointer { out -> Bool in
            guard let base = out.baseAddress else { return false }
            if !input.isEmpty {
                let updated = input.withUnsafeBufferPointer { update(context, base, &written, $0.baseAddress, Int32($0.count)) }
                guard updated == 1 else { return false }
            }
            return finish(context, base + Int(written), &finalLength) == 1
        }
        guard ok else {
            Sodium.zero(&output)
            return nil
        }
        output.removeLast(output.count - Int(written + finalLength))
        return output
    }

    private static func start(_ api: ccrypto_api, _ context: OpaquePointer, key: SecretBytes, iv: [UInt8], encrypt: Bool) -> Bool {
        let initialise = encrypt ? api.EVP_EncryptInit_ex : api.EVP_DecryptInit_ex
        guard initialise(context, api.EVP_aes_256_gcm(), nil, nil, nil) == 1,
              api.EVP_CIPHER_CTX_ctrl(context, EVP_CTRL_GCM_SET_IVLEN, Int32(iv.count), nil) == 1 else { return false }
        return key.withUnsafeBytes { k in
            iv.withUnsafeBufferPointer { v in
                guard let keyBytes = k.baseAddress?.assumingMemoryBound(to: UInt8.self) else { return false }
                return initialise(context, nil, nil, keyBytes, v.baseAddress) == 1
            }
        }
    }

    private static func feedAAD(_ api: ccrypto_api, _ context: OpaquePointer, _ aad: [UInt8], encrypt: Bool) -> Bool {
        guard !aad.isEmpty else { return true }
        let update = encrypt ? api.EVP_EncryptUpdate : api.EVP_DecryptUpdate
        var length: Int32 = 0
        return aad.withUnsafeBufferPointer { a in
            update(context, nil, &length, a.baseAddress, Int32(a.count))
        } == 1
    }
}
