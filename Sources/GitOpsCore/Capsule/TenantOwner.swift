/// One owner of a Capsule tenant (`spec.owners[]`), parsed from `KIND:NAME`.
public struct TenantOwner: Sendable, Hashable, CustomStringConvertible {
    /// The owner kinds the Capsule CRD accepts.
    public enum Kind: String, Sendable, CaseIterable {
        case user = "User"
        case group = "Group"
        case serviceAccount = "ServiceAccount"
    }

    public var kind: Kind
    /// The user, group, or the full service-account user name
    /// (`system:serviceaccount:NAMESPACE:NAME`), as Capsule matches it.
    public var name: String

    public init(kind: Kind, name: String) {
        self.kind = kind
        self.name = name
    }

    /// The ServiceAccount `namespace/name` as a Capsule owner.
    static func serviceAccount(namespace: String, name: String) -> TenantOwner {
        TenantOwner(kind: .serviceAccount, name: "system:serviceaccount:\(namespace):\(name)")
    }

    /// Parses `User:alice`, `Group:team-a`, `ServiceAccount:ns:name` (or the full
    /// `ServiceAccount:system:serviceaccount:ns:name`). Kinds are matched case-insensitively.
    public init(parsing text: String) throws(CapsuleError) {
        guard let colon = text.firstIndex(of: ":") else { throw .invalidOwner(value: text) }
        let kindText = text[..<colon].lowercased()
        let rest = String(text[text.index(after: colon)...])
        guard let kind = Kind.allCases.first(where: { $0.rawValue.lowercased() == kindText }),
              !rest.isEmpty, !rest.contains(where: \.isWhitespace) else {
            throw .invalidOwner(value: text)
        }
        switch kind {
        case .user, .group:
            self.init(kind: kind, name: rest)
        case .serviceAccount:
            let prefix = "system:serviceaccount:"
            let short = rest.hasPrefix(prefix) ? String(rest.dropFirst(prefix.count)) : rest
            let parts = short.split(separator: ":", omittingEmptySubsequences: false)
            guard parts.count == 2, DNSLabel.problem(with: String(parts[0])) == nil, !parts[1].isEmpty else {
                throw .invalidOwner(value: text)
            }
            self = .serviceAccount(namespace: String(parts[0]), name: String(parts[1]))
        }
    }

    /// `Group:team-a`, as the owner is given on the command line.
    public var description: String { "\(kind.rawValue):\(name)" }
}
