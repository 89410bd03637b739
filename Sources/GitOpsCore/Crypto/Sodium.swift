internal import CSodium

/// The only file that calls libsodium. Every primitive age and SOPS need is here, behind
/// Swift signatures: byte arrays in, byte arrays or `SecretBytes` out, typed errors.
enum Sodium {
    static let x25519Size = 32
    static let aeadKeySize = 32
    static let aeadNonceSize = 12
    static let aeadTagSize = 16

    /// Runs `sodium_init` once per process (global initialisers are lazy and run exactly once).
    private static let ready: Bool = sodium_init() >= 0

    static func ensureReady() throws(CryptoError) {
        guard ready else { throw .libraryUnavailable }
    }

    // MARK: Memory

    static func zero(_ buffer: UnsafeMutableRawBufferPointer) {
        guard let base = buffer.baseAddress, buffer.count > 0 else { return }
        sodium_memzero(base, buffer.count)
    }

    static func zero(_ bytes: inout [UInt8]) {
        bytes.withUnsafeMutableBytes { zero($0) }
    }

    static func constantTimeEqual(_ a: UnsafeRawBufferPointer, _ b: UnsafeRawBufferPointer) -> Bool {
        guard a.count == b.count else { return false }
        guard let pa = a.baseAddress, let pb = b.baseAddress else { return a.count == 0 }
        return sodium_memcmp(pa, pb, a.count) == 0
    }

    static func constantTimeEqual(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        a.withUnsafeBytes { pa in b.withUnsafeBytes { pb in constantTimeEqual(pa, pb) } }
    }

    // MARK: Randomness

    static func fillRandom(_ buffer: UnsafeMutableRawBufferPointer) {
        guard let base = buffer.baseAddress, buffer.count > 0 else { return }
        _ = ready
        randombytes_buf(base, buffer.count)
    }

    static func randomBytes(_ count: Int) -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: count)
        bytes.withUnsafeMutableBytes { fillRandom($0) }
        return bytes
    }

    // MARK: X25519

    /// `X25519(scalar, basepoint)`.
    static func x25519Base(_ scalar: SecretBytes) throws(CryptoError) -> [UInt8] {
        try ensureReady()
        var point = [UInt8](repeating: 0, count: x25519Size)
        let rc = scalar.withUnsafeBytes { s in
            point.withUnsafeMutableBytes { p in
                crypto_scalarmult_base(ptr(p), ptr(s))
            }
        }
        guard rc == 0, scalar.count == x25519Size else { throw .invalidKey("X25519 scalar") }
        return point
    }

    /// `X25519(scalar, point)`; an all-zero result (a low-order point) is refused, as age does.
    static func x25519(_ scalar: SecretBytes, _ point: [UInt8]) throws(CryptoError) -> SecretBytes {
        try x25519(scalar, .bytes(point))
    }

    static func x25519(_ scalar: SecretBytes, _ point: SecretOrPublic) throws(CryptoError) -> SecretBytes {
        try ensureReady()
        guard scalar.count == x25519Size, point.withUnsafeBytes({ $0.count }) == x25519Size else { throw .invalidKey("X25519 point") }
        var rc: Int32 = 0
        let shared = SecretBytes(count: x25519Size) { out in
            scalar.withUnsafeBytes { s in
                point.withUnsafeBytes { p in
                    rc = crypto_scalarmult(ptr(out),
                                           ptr(s),
                                           ptr(p))
                }
            }
        }
        guard rc == 0 else { throw .lowOrderPoint }
        return shared
    }

    /// The X25519 (Montgomery) form of an Ed25519 public key, for ssh-ed25519 recipients.
    static func ed25519PublicToX25519(_ publicKey: [UInt8]) throws(CryptoError) -> [UInt8] {
        try ensureReady()
        guard publicKey.count == 32 else { throw .invalidKey("ssh-ed25519 public key") }
        var out = [UInt8](repeating: 0, count: x25519Size)
        let rc = publicKey.withUnsafeBytes { pk in
            out.withUnsafeMutableBytes { o in
                crypto_sign_ed25519_pk_to_curve25519(ptr(o),
                                                     ptr(pk))
            }
        }
        guard rc == 0 else { throw .invalidKey("ssh-ed25519 public key") }
        return out
    }

    /// The X25519 scalar of an Ed25519 key: the first half of SHA-512(seed), which is what
    /// age's agessh derives (libsodium also clamps it, which X25519 does anyway).
    static func ed25519SecretToX25519(_ secretKey: SecretBytes) throws(CryptoError) -> SecretBytes {
        try ensureReady()
        guard secretKey.count == 64 else { throw .invalidKey("ssh-ed25519 private key") }
        var rc: Int32 = 0
        let scalar = SecretBytes(count: x25519Size) { out in
            secretKey.withUnsafeBytes { sk in
                rc = crypto_sign_ed25519_sk_to_curve25519(ptr(out),
                                                          ptr(sk))
            }
        }
        guard rc == 0 else { throw .invalidKey("ssh-ed25519 private key") }
        return scalar
    }

    /// The 64-byte Ed25519 secret key (seed ‖ public key) for a 32-byte seed.
    static func ed25519PublicKey(seed: SecretBytes) throws(CryptoError) -> [UInt8] {
        try ensureReady()
        guard seed.count == 32 else { throw .invalidKey("ssh-ed25519 seed") }
        var pk = [UInt8](repeating: 0, count: 32)
        var sk = [UInt8](repeating: 0, count: 64)
        defer { zero(&sk) }
        let rc = seed.withUnsafeBytes { s in
            pk.withUnsafeMutableBytes { p in
                sk.withUnsafeMutableBytes { k in
                    crypto_sign_ed25519_seed_keypair(ptr(p),
                                                     ptr(k),
                                                     ptr(s))
                }
            }
        }
        guard rc == 0 else { throw .invalidKey("ssh-ed25519 seed") }
        return pk
    }

    // MARK: ChaCha20-Poly1305 (IETF, 12-byte nonce)

    /// Seals a small secret (a file key) under `key`; returns ciphertext ‖ tag.
    static func seal(_ plaintext: SecretBytes, key: SecretBytes, nonce: [UInt8]) throws(CryptoError) -> [UInt8] {
        try ensureReady()
        guard key.count == aeadKeySize, nonce.count == aeadNonceSize else { throw .invalidKey("ChaCha20-Poly1305 key") }
        var out = [UInt8](repeating: 0, count: plaintext.count + aeadTagSize)
        var outLen: UInt64 = 0
        _ = plaintext.withUnsafeBytes { m in
            key.withUnsafeBytes { k in
                nonce.withUnsafeBytes { n in
                    out.withUnsafeMutableBytes { c in
                        crypto_aead_chacha20poly1305_ietf_encrypt(
                            ptr(c), &outLen,
                            ptr(m), UInt64(m.count),
                            nil, 0, nil,
                            ptr(n), ptr(k))
                    }
                }
            }
        }
        return out
    }

    /// Opens ciphertext ‖ tag; nil when authentication fails.
    static func open(_ ciphertext: [UInt8], key: SecretBytes, nonce: [UInt8]) throws(CryptoError) -> SecretBytes? {
        try ensureReady()
        guard key.count == aeadKeySize, nonce.count == aeadNonceSize else { throw .invalidKey("ChaCha20-Poly1305 key") }
        guard ciphertext.count >= aeadTagSize else { return nil }
        var rc: Int32 = 0
        let plaintext = SecretBytes(count: ciphertext.count - aeadTagSize) { m in
            var mLen: UInt64 = 0
            key.withUnsafeBytes { k in
                nonce.withUnsafeBytes { n in
                    ciphertext.withUnsafeBytes { c in
                        rc = crypto_aead_chacha20poly1305_ietf_decrypt(
                            ptr(m), &mLen, nil,
                            ptr(c), UInt64(c.count),
                            nil, 0,
                            ptr(n), ptr(k))
                    }
                }
            }
        }
        return rc == 0 ? plaintext : nil
    }

    /// Seals `input[inputRange]` into `output` at `outputOffset` (ciphertext, then tag).
    static func sealDetached(key: SecretBytes, nonce: [UInt8], input: [UInt8], inputRange: Range<Int>,
                             output: inout [UInt8], outputOffset: Int) {
        key.withUnsafeBytes { k in
            nonce.withUnsafeBytes { n in
                input.withUnsafeBytes { i in
                    output.withUnsafeMutableBytes { o in
                        let out = ptr(o) + outputOffset
                        _ = crypto_aead_chacha20poly1305_ietf_encrypt_detached(
                            out, out + inputRange.count, nil, ptr(i) + inputRange.lowerBound, UInt64(inputRange.count),
                            nil, 0, nil, ptr(n), ptr(k))
                    }
                }
            }
        }
    }

    /// Opens `input[inputRange]` (ciphertext ‖ tag) into `output` at `outputOffset`; false when
    /// the tag does not verify (nothing is written then).
    static func openDetached(key: SecretBytes, nonce: [UInt8], input: [UInt8], inputRange: Range<Int>,
                             output: inout [UInt8], outputOffset: Int) -> Bool {
        guard inputRange.count >= aeadTagSize else { return false }
        let textCount = inputRange.count - aeadTagSize
        return key.withUnsafeBytes { k in
            nonce.withUnsafeBytes { n in
                input.withUnsafeBytes { i in
                    output.withUnsafeMutableBytes { o in
                        let c = ptr(i) + inputRange.lowerBound
                        return crypto_aead_chacha20poly1305_ietf_decrypt_detached(
                            ptr(o) + outputOffset, nil, c, UInt64(textCount), c + textCount, nil, 0, ptr(n), ptr(k)) == 0
                    }
                }
            }
        }
    }

    // MARK: Hashes and MACs

    static func sha256(_ message: [UInt8]) -> [UInt8] { digest(message, size: 32, crypto_hash_sha256) }

    static func sha512(_ message: [UInt8]) -> [UInt8] { digest(message, size: 64, crypto_hash_sha512) }

    private static func digest(_ message: [UInt8], size: Int,
                               _ hash: (UnsafeMutablePointer<UInt8>, UnsafePointer<UInt8>, UInt64) -> Int32) -> [UInt8] {
        _ = ready
        var out = [UInt8](repeating: 0, count: size)
        message.withUnsafeBytes { m in
            out.withUnsafeMutableBytes { o in
                _ = hash(ptr(o), ptr(m), UInt64(m.count))
            }
        }
        return out
    }

    /// HMAC-SHA-256 with a key of any length (the one-shot libsodium call only takes 32 bytes).
    /// The message is given in parts so HKDF can feed `T(i-1) ‖ info ‖ i` without copying.
    static func hmacSHA256(key: SecretBytes, message parts: [SecretOrPublic]) -> SecretBytes {
        _ = ready
        return SecretBytes(count: 32) { out in
            let state = UnsafeMutablePointer<crypto_auth_hmacsha256_state>.allocate(capacity: 1)
            defer {
                zero(UnsafeMutableRawBufferPointer(start: state, count: MemoryLayout<crypto_auth_hmacsha256_state>.size))
                state.deallocate()
            }
            key.withUnsafeBytes { k in
                _ = crypto_auth_hmacsha256_init(state, ptr(k), k.count)
            }
            for part in parts {
                part.withUnsafeBytes { p in
                    _ = crypto_auth_hmacsha256_update(state, ptr(p), UInt64(p.count))
                }
            }
            _ = crypto_auth_hmacsha256_final(state, ptr(out))
        }
    }

    // MARK: scrypt

    /// scrypt(passphrase, salt, N = 2^logN, r, p) → 32 bytes, as age's passphrase stanza uses it.
    static func scrypt(passphrase: SecretBytes, salt: [UInt8], logN: Int, r: UInt32 = 8, p: UInt32 = 1) throws(CryptoError) -> SecretBytes {
        try ensureReady()
        var rc: Int32 = 0
        let key = SecretBytes(count: 32) { out in
            passphrase.withUnsafeBytes { pw in
                salt.withUnsafeBytes { s in
                    rc = crypto_pwhash_scryptsalsa208sha256_ll(
                        ptr(pw), pw.count,
                        ptr(s), s.count,
                        UInt64(1) << UInt64(logN), r, p,
                        ptr(out), out.count)
                }
            }
        }
        guard rc == 0 else { throw .scryptFailed }
        return key
    }
}

/// A MAC input that is either public bytes or a secret, so HMAC callers need not copy a
/// secret into an ordinary array.
enum SecretOrPublic {
    case secret(SecretBytes)
    case bytes([UInt8])

    func withUnsafeBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        switch self {
        case .secret(let s): return try s.withUnsafeBytes(body)
        case .bytes(let b): return try b.withUnsafeBytes(body)
        }
    }
}

/// libsodium declares its pointer parameters non-null; an empty Swift buffer has no base
/// address, so it gets a stand-in that C never dereferences (the length passed is 0).
func ptr(_ buffer: UnsafeRawBufferPointer) -> UnsafePointer<UInt8> {
    if let base = buffer.baseAddress { return base.assumingMemoryBound(to: UInt8.self) }
    return UnsafePointer(bitPattern: 0x10)!
}

func ptr(_ buffer: UnsafeMutableRawBufferPointer) -> UnsafeMutablePointer<UInt8> {
    if let base = buffer.baseAddress { return base.assumingMemoryBound(to: UInt8.self) }
    return UnsafeMutablePointer(bitPattern: 0x10)!
}
