/// Everything that can go wrong in age and key handling. Texts follow the age CLI's wording
/// where one exists, so people can search for them; none of them contains key material.
public enum CryptoError: UserFacingError, Equatable {
    /// libsodium failed to initialise.
    case libraryUnavailable
    /// libcrypto (opened on first use) could not be loaded; the reason names the file.
    case libcryptoUnavailable(String)
    /// A key of the wrong size or shape reached a primitive.
    case invalidKey(String)
    /// An X25519 share was a low-order point (the shared secret would be all zeros).
    case lowOrderPoint
    case scryptFailed

    /// A recipient string (from `-r`, a recipients file or `.sops.yaml`) that is not valid.
    case malformedRecipient(String, reason: String)
    /// A recipients file line that is not valid; `source` is the file name, `reason` the
    /// recipient's own error (which quotes it).
    case malformedRecipientLine(source: String, line: Int, reason: String)
    /// An identity that is not valid. The line is never quoted: it may be a secret key.
    case malformedIdentity(source: String, line: Int, reason: String)
    /// A post-quantum (ML-KEM-768 + X25519, age ≥ 1.3) recipient or identity.
    case postQuantumUnsupported(String)
    /// A plugin recipient or identity (`age1name1…`, `AGE-PLUGIN-…`).
    case pluginUnsupported(String)
    case noIdentities(source: String)
    case noRecipients(source: String)
    /// An OpenSSH key that cannot be used.
    case sshKey(source: String, reason: String)

    /// encrypt: a passphrase must be the only recipient.
    case passphraseWithOtherRecipients
    case noRecipientsGiven
    case noIdentitiesGiven

    /// The age header is not well formed.
    case malformedHeader(String)
    /// A stanza addressed to us is malformed; age treats this as fatal, not "try the next one".
    case invalidStanza(type: String, reason: String)
    case scryptNotAlone
    case scryptWorkFactorTooLarge(Int)
    case noIdentityMatched
    /// The header is passphrase-encrypted but no passphrase was offered.
    case passphraseRequired
    case badHeaderMAC
    /// The payload failed to authenticate, is truncated or has trailing data.
    case payload(String)
    /// Armor that is not exactly what an age armor writer produces.
    case armor(String)
    /// The input is not an age file at all.
    case notAgeFile(String)

    public var description: String {
        switch self {
        case .libraryUnavailable: "libsodium could not be initialised"
        case .libcryptoUnavailable(let reason): "libcrypto could not be loaded (\(reason))"
        case .invalidKey(let what): "invalid \(what)"
        case .lowOrderPoint: "invalid X25519 share: low-order point"
        case .scryptFailed: "scrypt key derivation failed (out of memory?)"
        case .malformedRecipient(let r, let reason): "malformed recipient \"\(r)\": \(reason)"
        case .malformedRecipientLine(let source, let line, let reason): "\(source):\(line): \(reason)"
        case .malformedIdentity(let source, let line, let reason):
            line > 0 ? "\(source):\(line): malformed identity: \(reason)"
                : source.isEmpty ? "malformed identity: \(reason)" : "\(source): malformed identity: \(reason)"
        case .postQuantumUnsupported(let what): "\(what) is a post-quantum (ML-KEM-768 + X25519) key, which gitopsctl does not support yet"
        case .pluginUnsupported(let what): "\(what) needs an age plugin, which gitopsctl does not support"
        case .noIdentities(let source): "no identities found in \(source)"
        case .noRecipients(let source): "no recipients found in \(source)"
        case .sshKey(let source, let reason): "\(source): \(reason)"
        case .passphraseWithOtherRecipients: "a passphrase can't be combined with other recipients"
        case .noRecipientsGiven: "missing recipients"
        case .noIdentitiesGiven: "no identities specified"
        case .malformedHeader(let reason): "parsing age header: \(reason)"
        case .invalidStanza(let type, let reason): "invalid \(type) recipient stanza: \(reason)"
        case .scryptNotAlone: "an scrypt recipient must be the only one"
        case .scryptWorkFactorTooLarge(let n): "scrypt work factor too large: \(n)"
        case .noIdentityMatched: "no identity matched any of the recipients"
        case .passphraseRequired: "the file is encrypted with a passphrase"
        case .badHeaderMAC: "bad header MAC"
        case .payload(let reason): "payload: \(reason)"
        case .armor(let reason): "armor: \(reason)"
        case .notAgeFile(let reason): "not an age file: \(reason)"
        }
    }

    public var hint: String? {
        switch self {
        case .passphraseRequired: "pass -p (or set GITOPSCTL_AGE_PASSPHRASE) to decrypt with a passphrase"
        case .noIdentityMatched: "check that -i names the identity file of one of the file's recipients"
        case .noIdentitiesGiven: "pass -i with an identity file, or -p for a passphrase-encrypted file"
        case .postQuantumUnsupported: "use an X25519 key (gitopsctl keygen) for now"
        case .passphraseWithOtherRecipients: "encrypt to a passphrase alone, or drop -p"
        default: nil
        }
    }
}
