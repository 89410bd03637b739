/// Wrapping a SOPS data key with age, the way sops stores it: each recipient gets its own
/// armored age file (one stanza) whose plaintext is the key. [sops: age/keysource.go]
public enum AgeDataKey {
    /// The armored age file (`enc` in sops metadata) holding `dataKey` for `recipient`.
    /// Always ends with `-----END AGE ENCRYPTED FILE-----\n`.
    public static func wrap(_ dataKey: SecretBytes, for recipient: AgeRecipient) throws -> String {
        let sink = MemorySink()
        let source = SecretSource(dataKey)
        try AgeEncryptor(recipients: [recipient]).encrypt(from: source, to: sink, armored: true)
        return String(decoding: sink.bytes, as: UTF8.self)
    }

    /// The data key inside an armored (or binary) age file, using the first identity that
    /// matches. Throws `CryptoError.noIdentityMatched` when none does.
    public static func unwrap(_ encrypted: String, with identities: [AgeIdentity]) throws -> SecretBytes {
        let sink = SecretSink()
        try AgeDecryptor(identities: identities).decrypt(from: MemorySource(Array(encrypted.utf8)), to: sink)
        return sink.secret()
    }
}

/// Reads a secret without copying it into an array that would outlive the call.
final class SecretSource: ByteSource {
    private let secret: SecretBytes
    private var position = 0

    init(_ secret: SecretBytes) { self.secret = secret }

    func read(into buffer: inout [UInt8], at offset: Int, count: Int) throws -> Int {
        let n = min(count, secret.count - position)
        guard n > 0 else { return 0 }
        secret.withUnsafeBytes { bytes in
            buffer.replaceSubrange(offset..<offset + n, with: bytes[position..<position + n])
        }
        position += n
        return n
    }
}

/// Collects a small plaintext (a data key) and zeroes its buffer when released.
final class SecretSink: ByteSink {
    private var bytes: [UInt8] = []

    func write(_ buffer: [UInt8], _ range: Range<Int>) throws {
        bytes.reserveCapacity(4096)  // one allocation: growth would leave unzeroed copies behind
        bytes.append(contentsOf: buffer[range])
    }

    func secret() -> SecretBytes {
        var copy = bytes
        Sodium.zero(&bytes)
        return SecretBytes(consuming: &copy)
    }

    deinit { Sodium.zero(&bytes) }
}
