/// What can decrypt a file: an X25519 identity, an OpenSSH ed25519 private key, or a passphrase.
public enum AgeIdentity: Sendable {
    case x25519(X25519Identity)
    case sshEd25519(SSHEd25519Identity)
    case scrypt(ScryptIdentity)

    /// Identity files bigger than this are refused, as age does.
    static let maxFileSize = 16 << 20

    /// Parses an identity file: age-keygen format (several `AGE-SECRET-KEY-…` lines, `#`
    /// comments, empty lines) or an unencrypted OpenSSH ed25519 private key. Errors name
    /// `source:line` and never quote the line, which may hold a secret.
    public static func parseIdentityFile(_ bytes: [UInt8], source: String) throws(CryptoError) -> [AgeIdentity] {
        guard bytes.count <= maxFileSize else { throw .malformedIdentity(source: source, line: 0, reason: "file too large") }
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw .malformedIdentity(source: source, line: 0, reason: "not UTF-8 text")
        }
        if text.contains(SSHEd25519Identity.pemBegin) {
            return [.sshEd25519(try SSHEd25519Identity(pem: text, source: source))]
        }
        if isEncrypted(bytes) {
            throw .malformedIdentity(source: source, line: 0, reason: "the file is encrypted with a passphrase, which is needed to read it")
        }
        var identities: [AgeIdentity] = []
        for (index, line) in lines(of: text).enumerated() {
            if line.isEmpty || line.hasPrefix("#") { continue }
            if line.hasPrefix("AGE-SECRET-KEY-PQ-1") {
                throw .postQuantumUnsupported("identity at \(source):\(index + 1)")
            }
            if line.hasPrefix("AGE-PLUGIN-") { throw .pluginUnsupported("identity at \(source):\(index + 1)") }
            do {
                identities.append(.x25519(try X25519Identity(parsing: String(line))))
            } catch {
                guard case .malformedIdentity(_, _, let reason) = error else { throw error }
                throw .malformedIdentity(source: source, line: index + 1, reason: reason)
            }
        }
        guard !identities.isEmpty else { throw .noIdentities(source: source) }
        return identities
    }

    /// Like `parseIdentityFile(_:source:)`, but also reads an identity file that is itself an
    /// age file encrypted with a passphrase (binary or armored), as age and sops do; the
    /// passphrase is asked for only then.
    public static func parseIdentityFile(_ bytes: [UInt8], source: String,
                                         passphrase: () throws -> SecretBytes) throws -> [AgeIdentity] {
        guard isEncrypted(bytes) else { return try parseIdentityFile(bytes, source: source) }
        let sink = SecretSink()
        let unlock = ScryptIdentity(passphrase: try passphrase())
        try AgeDecryptor(identities: [.scrypt(unlock)]).decrypt(from: MemorySource(bytes), to: sink)
        var plaintext: [UInt8] = sink.secret().withUnsafeBytes { Array($0) }
        defer { Sodium.zero(&plaintext) }
        return try parseIdentityFile(plaintext, source: source)
    }

    /// An age file rather than a key file (age-keygen output never starts like this).
    private static func isEncrypted(_ bytes: [UInt8]) -> Bool {
        bytes.starts(with: AgeHeader.intro.dropLast()) || AgeArmor.looksArmored(Array(bytes.prefix(2048)))
    }

    /// The recipient that encrypts to this identity (nil for a passphrase).
    public var recipient: AgeRecipient? {
        switch self {
        case .x25519(let i): .x25519(i.recipient)
        case .sshEd25519(let i): .sshEd25519(i.recipient)
        case .scrypt: nil
        }
    }

    var unwrapper: any AgeStanzaUnwrapping {
        switch self {
        case .x25519(let i): i
        case .sshEd25519(let i): i
        case .scrypt(let i): i
        }
    }
}

/// Lines as Go's bufio.Scanner splits them: on LF, with one CR before the LF dropped. Done on
/// bytes because Swift treats CR LF as a single Character.
func lines(of text: String) -> [String] {
    text.utf8.split(separator: 10, omittingEmptySubsequences: false).map { line in
        String(decoding: line.last == 13 ? line.dropLast() : line, as: UTF8.self)
    }
}
