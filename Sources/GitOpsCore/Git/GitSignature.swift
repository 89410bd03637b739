import Foundation

/// A commit author or committer: `Name <email>`.
public struct GitSignature: Sendable, Equatable, CustomStringConvertible {
    public var name: String
    public var email: String

    public init(name: String, email: String) {
        self.name = name
        self.email = email
    }

    /// Parses `Name <email>`, the form of `--commit-author` and of git's own author lines.
    public init(parsing text: String) throws(GitError) {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        guard trimmed.hasSuffix(">"), let open = trimmed.lastIndex(of: "<") else {
            throw GitError.invalidAuthor(text)
        }
        let name = trimmed[..<open].trimmingCharacters(in: .whitespaces)
        let email = String(trimmed[trimmed.index(after: open)..<trimmed.index(before: trimmed.endIndex)])
        // git refuses angle brackets inside either part, and both must be present.
        guard !name.isEmpty, !email.isEmpty, !name.contains("<"), !name.contains(">"),
              !email.contains("<"), !email.contains(">") else {
            throw GitError.invalidAuthor(text)
        }
        self.init(name: name, email: email)
    }

    public var description: String { "\(name) <\(email)>" }
}
