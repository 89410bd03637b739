/// Encrypts a stream to age recipients, in the format age 1.x writes.
public struct AgeEncryptor: Sendable {
    private let recipients: [AgeRecipient]

    /// Refuses an empty list and a passphrase mixed with other recipients (age requires an
    /// scrypt stanza to be the only one).
    public init(recipients: [AgeRecipient]) throws(CryptoError) {
        guard !recipients.isEmpty else { throw .noRecipientsGiven }
        if recipients.count > 1, recipients.contains(where: { if case .scrypt = $0 { true } else { false } }) {
            throw .passphraseWithOtherRecipients
        }
        self.recipients = recipients
    }

    /// Reads all of `source` and writes the age file to `sink` (armored when asked), then
    /// calls `sink.finish()`.
    public func encrypt(from source: ByteSource, to sink: ByteSink, armored: Bool = false) throws {
        let output: ByteSink = armored ? ArmorWriter(sink) : sink
        let fileKey = SecretBytes.random(count: FileKeyWrap.fileKeySize)
        var stanzas: [AgeStanza] = []
        for recipient in recipients { stanzas.append(try recipient.wrapper.wrap(fileKey)) }
        let nonce = Sodium.randomBytes(AgePayload.nonceSize)
        try output.write(AgeHeader.encode(stanzas, fileKey: fileKey) + nonce)
        try AgePayload.encrypt(key: AgePayload.key(fileKey: fileKey, nonce: nonce), from: source, to: output)
        try output.finish()
    }

    /// In-memory convenience for small inputs.
    public func encrypt(_ plaintext: [UInt8], armored: Bool = false) throws -> [UInt8] {
        let sink = MemorySink()
        try encrypt(from: MemorySource(plaintext), to: sink, armored: armored)
        return sink.bytes
    }
}
