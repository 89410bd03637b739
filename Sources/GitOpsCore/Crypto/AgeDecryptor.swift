/// Decrypts age files (binary or armored) with one or more identities.
public struct AgeDecryptor: Sendable {
    private let identities: [AgeIdentity]

    public init(identities: [AgeIdentity]) {
        self.identities = identities
    }

    /// Reads the age file from `source` and writes the plaintext to `sink` chunk by chunk as
    /// each chunk verifies. The header MAC is verified before any plaintext is written; on a
    /// payload error, what verified before it has been written (write to an
    /// `AtomicFileWriter` and commit only on success to never expose a partial file).
    public func decrypt(from source: ByteSource, to sink: ByteSink) throws {
        let raw = BufferedReader(source)
        let reader = AgeArmor.looksArmored(try raw.peek(AgeArmor.maxWhitespace + AgeArmor.begin.count))
            ? BufferedReader(ArmorReader(raw)) : raw
        try decryptBinary(from: reader, to: sink)
    }

    /// Decrypts input that is known to be armored (SOPS `enc` values, CCTV armored vectors).
    func decryptArmored(from source: ByteSource, to sink: ByteSink) throws {
        try decryptBinary(from: BufferedReader(ArmorReader(BufferedReader(source))), to: sink)
    }

    func decryptBinary(from reader: BufferedReader, to sink: ByteSink) throws {
        let fileKey = try unwrapFileKey(reader)
        var nonce = [UInt8](repeating: 0, count: AgePayload.nonceSize)
        guard try reader.readFully(into: &nonce, at: 0, count: nonce.count) == nonce.count else {
            throw CryptoError.malformedHeader("missing payload nonce")
        }
        try AgePayload.decrypt(key: AgePayload.key(fileKey: fileKey, nonce: nonce), from: reader, to: sink)
        try sink.finish()
    }

    /// Parses the header, finds the file key and checks the header MAC.
    private func unwrapFileKey(_ reader: BufferedReader) throws -> SecretBytes {
        let (header, macInput) = try AgeHeader.parse(reader)
        let hasScrypt = header.stanzas.contains { $0.type == "scrypt" }
        if hasScrypt && header.stanzas.count != 1 { throw CryptoError.scryptNotAlone }
        let offersPassphrase = identities.contains { if case .scrypt = $0 { true } else { false } }
        if hasScrypt && !offersPassphrase { throw CryptoError.passphraseRequired }
        guard !identities.isEmpty else { throw CryptoError.noIdentitiesGiven }

        var fileKey: SecretBytes?
        search: for identity in identities {
            for stanza in header.stanzas {
                if let key = try identity.unwrapper.unwrap(stanza) {
                    fileKey = key
                    break search
                }
            }
        }
        guard let fileKey else { throw CryptoError.noIdentityMatched }
        guard Sodium.constantTimeEqual(AgeHeader.mac(fileKey: fileKey, headerBytes: macInput), header.mac) else {
            throw CryptoError.badHeaderMAC
        }
        return fileKey
    }

    /// In-memory convenience for small inputs.
    public func decrypt(_ file: [UInt8]) throws -> [UInt8] {
        let sink = MemorySink()
        try decrypt(from: MemorySource(file), to: sink)
        return sink.bytes
    }
}
