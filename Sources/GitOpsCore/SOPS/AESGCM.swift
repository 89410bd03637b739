internal import CNettle

/// AES-256-GCM with the 32-byte IVs sops uses (libsodium offers only 12-byte nonces); for IVs
/// that are not 96 bits long GCM derives J0 with GHASH, exactly as Go's
/// `cipher.NewGCMWithNonceSize(block, 32)` does.
///
/// Nettle's GCM (`cnettle_gcm_seal` in Sources/CNettle/shim.h) runs on the CPU's AES and
/// carry-less multiply instructions where it has them, in constant time, and needs no start-up
/// work; OpenSSL's EVP would spend 1-2 ms per process starting its providers.
struct AESGCM: Sendable {
    static let tagSize = 16
    private let api: cnettle_api

    /// Opens Nettle on first use; fails with the reason when the library is missing.
    init() throws(SopsError) {
        api = try LibNettle.api()
    }

    /// Seals `plaintext`; returns ciphertext (same length) and the 16-byte tag.
    func seal(_ plaintext: [UInt8], key: SecretBytes, iv: [UInt8], aad: [UInt8]) -> (ciphertext: [UInt8], tag: [UInt8])? {
        guard key.count == 32, !iv.isEmpty else { return nil }
        var ciphertext = [UInt8](repeating: 0, count: plaintext.count)
        var tag = [UInt8](repeating: 0, count: Self.tagSize)
        let rc = Self.withArguments(key, iv, aad) { k, v, ivCount, a in
            plaintext.withUnsafeBufferPointer { p in
                ciphertext.withUnsafeMutableBufferPointer { c in
                    withUnsafePointer(to: api) { table in
                        cnettle_gcm_seal(table, k, v, ivCount, a.baseAddress, a.count, p.baseAddress, p.count,
                                         c.baseAddress, &tag)
                    }
                }
            }
        }
        return rc == 0 ? (ciphertext, tag) : nil
    }

    /// Opens a value; nil when authentication fails (wrong key, AAD, IV or tampered bytes),
    /// after what Nettle wrote has been wiped.
    func open(_ ciphertext: [UInt8], tag: [UInt8], key: SecretBytes, iv: [UInt8], aad: [UInt8]) -> [UInt8]? {
        guard key.count == 32, !iv.isEmpty, tag.count == Self.tagSize else { return nil }
        var plaintext = [UInt8](repeating: 0, count: ciphertext.count)
        let rc = Self.withArguments(key, iv, aad) { k, v, ivCount, a in
            ciphertext.withUnsafeBufferPointer { c in
                plaintext.withUnsafeMutableBufferPointer { p in
                    withUnsafePointer(to: api) { table in
                        cnettle_gcm_open(table, k, v, ivCount, a.baseAddress, a.count, c.baseAddress, c.count,
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
}
