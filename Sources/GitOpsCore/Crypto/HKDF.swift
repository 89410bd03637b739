/// HKDF-SHA-256 (RFC 5869) on libsodium's HMAC. libsodium 1.0.18, Debian 12's version, has no
/// HKDF of its own (it arrived in 1.0.19). age only ever asks for 32 bytes.
enum HKDF {
    static func sha256(secret ikm: SecretOrPublic, salt: [UInt8], info: String, length: Int = 32) -> SecretBytes {
        // An empty salt means a block of zeros (RFC 5869 §2.2); HMAC pads any short key with zeros.
        var saltBytes = salt
        let prk = Sodium.hmacSHA256(key: SecretBytes(consuming: &saltBytes), message: [ikm])
        let infoBytes = Array(info.utf8)
        var blocks: [SecretBytes] = []
        var previous: SecretOrPublic = .bytes([])
        var produced = 0
        var counter: UInt8 = 1
        while produced < length {
            let block = Sodium.hmacSHA256(key: prk, message: [previous, .bytes(infoBytes), .bytes([counter])])
            blocks.append(block)
            previous = .secret(block)
            produced += 32
            counter += 1
        }
        return SecretBytes(count: length) { out in
            var offset = 0
            for block in blocks where offset < length {
                block.withUnsafeBytes { b in
                    let n = min(b.count, length - offset)
                    out.baseAddress!.advanced(by: offset).copyMemory(from: b.baseAddress!, byteCount: n)
                    offset += n
                }
            }
        }
    }
}
