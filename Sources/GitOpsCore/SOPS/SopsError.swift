/// Everything that can go wrong reading, decrypting, encrypting or configuring SOPS files.
/// Exit codes are sops's own (getsops/sops cmd/sops/codes/codes.go) so scripts written for
/// sops keep working; messages follow sops's wording where one exists and never contain a
/// plaintext value or key material.
public enum SopsError: UserFacingError, Equatable {
    /// The input could not be read (missing file, permission).
    case cannotReadFile(path: String, reason: String)
    /// The output could not be written.
    case cannotWriteFile(path: String, reason: String)
    /// The file has no `sops` metadata block: it was never encrypted.
    case notEncrypted(file: String)
    /// `encrypt` on a file that already has `sops` metadata.
    case alreadyEncrypted(file: String)
    /// The `sops` block exists but cannot be understood.
    case invalidMetadata(file: String, reason: String)
    /// The document cannot be represented as a sops tree (a top-level list, a non-string key…).
    case unsupportedDocument(file: String, reason: String)
    /// An `ENC[…]` value that does not have sops's shape; `location` is `line:col` or the path.
    case malformedEncryptedValue(file: String, location: String)
    /// AES-GCM authentication failed (tampered value, or the value was moved to another key).
    case cannotDecryptValue(file: String, path: String)
    case cannotEncryptValue(file: String, path: String, reason: String)
    /// No master key of any group (or too few groups) gave up the data key.
    case dataKeyUnavailable(file: String, report: String)
    case cannotDecryptMAC(file: String)
    case macMismatch(file: String, stored: String, computed: String)
    /// More than one of the encrypted/unencrypted suffix/regex options.
    case conflictingCryptRules(String)
    case invalidRegex(String, reason: String)
    case configNotFound
    case noMatchingCreationRule(file: String, config: String, rulesTried: [String])
    case invalidConfig(file: String, reason: String)
    case noRecipients(file: String)
    case invalidTreePath(String, reason: String)
    case extractNotFound(component: String)
    case extractOutOfBounds(index: Int)
    case extractUnsupported(format: String)
    case unsupportedFormat(String)
    /// A failure from the age layer (malformed recipient, identity file…).
    case keys(String)
    /// A C library SOPS values need could not be opened (the reason says how to install it).
    case cryptoLibraryUnavailable(String)
    case editor(String)

    public var description: String {
        switch self {
        case let .cannotReadFile(path, reason): "cannot read \(path): \(reason)"
        case let .cannotWriteFile(path, reason): "cannot write \(path): \(reason)"
        case let .notEncrypted(file): "\(file): sops metadata not found: the file is not encrypted with sops"
        case let .alreadyEncrypted(file): "\(file): the file is already encrypted (it has a sops metadata block)"
        case let .invalidMetadata(file, reason): "\(file): invalid sops metadata: \(reason)"
        case let .unsupportedDocument(file, reason):
            // YAML-layer errors already start with `file:line:col`; don't name the file twice.
            reason.hasPrefix(file + ":") ? reason : "\(file): \(reason)"
        case let .malformedEncryptedValue(file, location):
            "\(file):\(location): malformed ENC[…] value: expected ENC[AES256_GCM,data:…,iv:…,tag:…,type:…]"
        case let .cannotDecryptValue(file, path):
            "\(file): Error decrypting tree: could not decrypt the value at \(path): cipher: message authentication failed"
        case let .cannotEncryptValue(file, path, reason): "\(file): could not encrypt the value at \(path): \(reason)"
        case let .dataKeyUnavailable(file, report): "\(file): Failed to get the data key required to decrypt the SOPS file.\n\n\(report)"
        case let .cannotDecryptMAC(file): "\(file): Cannot decrypt MAC"
        case let .cryptoLibraryUnavailable(reason): "cannot open the AES-GCM library: \(reason)"
        case let .macMismatch(_, stored, computed):
            "MAC mismatch. File has \(stored.isEmpty ? "no MAC" : stored), computed \(computed)"
        case let .conflictingCryptRules(which): "only one of \(which) may be given"
        case let .invalidRegex(regex, reason): "invalid regular expression \"\(regex)\": \(reason)"
        case .configNotFound:
            "config file not found, or has no creation rules, and no keys provided through command line options"
        case let .noMatchingCreationRule(file, config, rules):
            "error loading config: no matching creation rules found for \(file) in \(config) (rules tried: \(rules.isEmpty ? "none" : rules.joined(separator: ", ")))"
        case let .invalidConfig(file, reason): "\(file): \(reason)"
        case let .noRecipients(file): "\(file): no age recipients to encrypt for"
        case let .invalidTreePath(path, reason): "invalid tree path \(path): \(reason)"
        case let .extractNotFound(component): "error truncating tree: component [\(component)] not found"
        case let .extractOutOfBounds(index): "error truncating tree: component [\(index)] accesses out of bounds"
        case let .extractUnsupported(format): "--extract is not supported for the \(format) format"
        case let .unsupportedFormat(format): "the \(format) format is not supported"
        case let .keys(reason): reason
        case let .editor(reason): reason
        }
    }

    public var exitCode: Int32 {
        switch self {
        // sops refuses a missing file before reading it, with exit 100; anything that fails
        // while reading (a directory, permissions) is its read error, 2.
        case let .cannotReadFile(_, reason): reason == "no such file" ? 100 : 2
        case .cannotWriteFile: 4
        case .conflictingCryptRules: 8
        case .cannotEncryptValue: 23
        case .cannotDecryptValue, .malformedEncryptedValue: 25
        case .macMismatch, .cannotDecryptMAC: 51
        case .configNotFound, .noMatchingCreationRule: 61
        case .invalidTreePath, .extractNotFound, .extractOutOfBounds: 91
        case .dataKeyUnavailable: 128
        case .alreadyEncrypted: 203
        case .notEncrypted: 1
        default: 1
        }
    }

    public var hint: String? {
        switch self {
        case .dataKeyUnavailable:
            "set SOPS_AGE_KEY_FILE (or SOPS_AGE_KEY) to an identity of one of the recipients, or put it in ~/.config/sops/age/keys.txt"
        case .configNotFound: "create a .sops.yaml with creation_rules, or pass --age"
        case .macMismatch: "the file was changed outside sops; --ignore-mac decrypts it anyway"
        default: nil
        }
    }
}
