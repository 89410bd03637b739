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
