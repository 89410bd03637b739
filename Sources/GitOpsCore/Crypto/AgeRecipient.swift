/// Someone a file is encrypted to: an X25519 key (`age1…`), an OpenSSH ed25519 public key, or
/// a passphrase. Parse user input with `init(parsing:)` or `parseRecipientsFile`.
public enum AgeRecipient: Sendable {
    case x25519(X25519Recipient)
    case sshEd25519(SSHEd25519Recipient)
    case scrypt(ScryptRecipient)

    /// Parses one recipient as `age -r` does: `age1…` or `ssh-ed25519 AAAA… [comment]`.
    /// Post-quantum (`age1pq1…`), plugin and ssh-rsa recipients are recognised and refused.
    public init(parsing text: String) throws(CryptoError) {
        if text.hasPrefix("age1pq1") { throw .postQuantumUnsupported("recipient \"\(AgeRecipient.abbreviated(text))\"") }
        if text.hasPrefix("age1") && text.dropFirst(4).contains("1") {
            throw .pluginUnsupported("recipient \"\(text)\"")
        }
        if text.hasPrefix("age1") || text.hasPrefix("AGE1") {
            self = .x25519(try X25519Recipient(parsing: text))
        } else if text.hasPrefix("ssh-ed25519 ") {
            self = .sshEd25519(try SSHEd25519Recipient(parsing: text))
        } else if text.hasPrefix("ssh-rsa ") {
            throw .malformedRecipient(AgeRecipient.abbreviated(text), reason: "ssh-rsa recipients are not supported; use ssh-ed25519 or age1… keys")
        } else if text.hasPrefix("AGE-SECRET-KEY-") {
            throw .malformedRecipient("AGE-SECRET-KEY-…", reason: "this is an identity (a secret key), not a recipient; use keygen -y to get its recipient")
        } else {
            throw .malformedRecipient(text, reason: "unknown recipient type")
        }
    }

    /// Parses a recipients file (`age -R`): one recipient per line, `#` comments and empty
    /// lines ignored. Errors name `source:line`.
    public static func parseRecipientsFile(_ text: String, source: String) throws(CryptoError) -> [AgeRecipient] {
        var recipients: [AgeRecipient] = []
        for (index, line) in lines(of: text).enumerated() {
            if line.isEmpty || line.hasPrefix("#") { continue }
            do {
                recipients.append(try AgeRecipient(parsing: line))
            } catch {
                if case .postQuantumUnsupported = error { throw error }
                throw .malformedRecipientLine(source: source, line: index + 1, reason: error.description)
            }
        }
        guard !recipients.isEmpty else { throw .noRecipients(source: source) }
        return recipients
    }

    var wrapper: any AgeStanzaWrapping {
        switch self {
        case .x25519(let r): r
        case .sshEd25519(let r): r
        case .scrypt(let r): r
        }
    }

    /// Post-quantum keys are 1,900+ characters; error messages show the start.
    private static func abbreviated(_ text: String) -> String {
        text.count > 40 ? String(text.prefix(40)) + "…" : text
    }
}

/// What can decrypt a file: an X25519 identity, an OpenSSH ed25519 private key, or a passphrase.
public enum AgeIdentity: Sendable {
    case x25519(X25519Identity)
    case sshEd25519(SSHEd25519Identity)
    case scrypt(ScryptIdentity)

    /// Identity files bigger than this are refused, as age does.
    static let maxFileSize = 16 << 20

    /// Parses an identity file: age-keygen format (several `AGE-SECRET-KEY-1…` lines, `#`
    /// comments, empty lines) or an unencrypted OpenSSH ed25519 private key. Errors name
    /// `source:line` and never quote the line, which may hold a secret.
    public static func parseIdentityFile(_ bytes: [UInt8], source: String) throws(CryptoError) -> [AgeIdentity] {
        guard bytes.count <= maxFileSize else { throw .malformedIdentity(source: source, line: 0, reason: "file too large") }
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw .malformedIdentity(source: source, line: 0, reason: "not UTF-8 text")
        }
        if text.contains("-----BEGIN OPENSSH PRIVATE KEY-----") {
            return [.sshEd25519(try SSHEd25519Identity(pem: text, source: source))]
        }
        if bytes.starts(with: Array("age-encryption.org/v1".utf8)) || AgeArmor.looksArmored(Array(bytes.prefix(2048))) {
            throw .malformedIdentity(source: source, line: 1, reason: "passphrase-encrypted identity files are not supported; decrypt it first with gitopsctl age decrypt -p")
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

extension AgeRecipient: CustomStringConvertible {
    /// The recipient as a user writes it (`age1…`, `ssh-ed25519 AAAA…`); `passphrase` for scrypt.
    public var description: String {
        switch self {
        case .x25519(let r): r.description
        case .sshEd25519(let r): r.description
        case .scrypt: "passphrase"
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
