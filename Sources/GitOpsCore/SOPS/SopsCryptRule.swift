import Foundation

/// Which values a file encrypts: at most one of sops's six options (getsops/sops sops.go
/// shouldBeEncrypted). The rule is recorded in the metadata so decryption knows which values
/// are ciphertext.
struct SopsCryptRule: Sendable, Equatable {
    enum Kind: String, Sendable, CaseIterable {
        case unencryptedSuffix = "unencrypted_suffix"
        case encryptedSuffix = "encrypted_suffix"
        case unencryptedRegex = "unencrypted_regex"
        case encryptedRegex = "encrypted_regex"
        case unencryptedCommentRegex = "unencrypted_comment_regex"
        case encryptedCommentRegex = "encrypted_comment_regex"

        /// The command-line flag that sets it.
        var flag: String { "--" + rawValue.replacingOccurrences(of: "_", with: "-") }
    }

    var kind: Kind
    var pattern: String
    private let regex: GoRegex?

    /// What sops assumes when no rule is given.
    static let `default` = SopsCryptRule(unchecked: .unencryptedSuffix, pattern: "_unencrypted")

    init(_ kind: Kind, pattern: String) throws(SopsError) {
        self.kind = kind
        self.pattern = pattern
        switch kind {
        case .unencryptedSuffix, .encryptedSuffix: regex = nil
        default: regex = try GoRegex(pattern)
        }
    }

    private init(unchecked kind: Kind, pattern: String) {
        self.kind = kind
        self.pattern = pattern
        regex = nil
    }

    /// The single rule among the given options; more than one is an error (sops exit 8).
    static func choose(_ options: [Kind: String]) throws(SopsError) -> SopsCryptRule? {
        let given = Kind.allCases.filter { options[$0] != nil }
        guard given.count <= 1 else {
            throw .conflictingCryptRules(given.map(\.flag).joined(separator: ", "))
        }
        guard let kind = given.first, let pattern = options[kind] else { return nil }
        return try SopsCryptRule(kind, pattern: pattern)
    }

    /// Whether the leaf at `path` (map keys only), under `comments` (one level per enclosing
    /// map or list: the comments seen since the last value of that level), is encrypted.
    func encrypts(path: [String], comments: [[String]], leafIsComment: Bool) -> Bool {
        switch kind {
        case .unencryptedSuffix:
            return !path.contains { $0.hasSuffix(pattern) }
        case .encryptedSuffix:
            return path.contains { $0.hasSuffix(pattern) }
        case .unencryptedRegex:
            return !path.contains { regex?.matches($0) == true }
        case .encryptedRegex:
            return path.contains { regex?.matches($0) == true }
        case .unencryptedCommentRegex:
            return !comments.joined().contains { regex?.matches($0) == true }
        case .encryptedCommentRegex:
            // A comment leaf has just been pushed onto its own level; it does not count for itself.
            var levels = comments
            if leafIsComment, !levels.isEmpty, !levels[levels.count - 1].isEmpty { levels[levels.count - 1].removeLast() }
            return levels.joined().contains { regex?.matches($0) == true }
        }
    }

    static func == (lhs: SopsCryptRule, rhs: SopsCryptRule) -> Bool {
        lhs.kind == rhs.kind && lhs.pattern == rhs.pattern
    }
}
