/// Kubernetes' DNS-1123 label rule (`metadata.name` of a Namespace, label values):
/// at most 63 characters of `a-z`, `0-9` and `-`, starting and ending alphanumeric.
enum DNSLabel {
    static let maxLength = 63

    /// Why `text` is not a DNS-1123 label, or nil when it is one.
    static func problem(with text: String) -> String? {
        if text.isEmpty { return "it is empty" }
        if text.contains("/") || text.contains("..") { return "it must not contain '/' or '..'" }
        if text.utf8.count > maxLength { return "it is longer than \(maxLength) characters" }
        let allowed = text.unicodeScalars.allSatisfy { isLowerAlphanumeric($0) || $0 == "-" }
        if !allowed { return "only lowercase letters, digits and '-' are allowed" }
        guard let first = text.unicodeScalars.first, let last = text.unicodeScalars.last,
              isLowerAlphanumeric(first), isLowerAlphanumeric(last) else {
            return "it must start and end with a letter or digit"
        }
        return nil
    }

    private static func isLowerAlphanumeric(_ scalar: Unicode.Scalar) -> Bool {
        ("a"..."z").contains(scalar) || ("0"..."9").contains(scalar)
    }
}

/// A validated tenant name and the object names derived from it, which must be valid too.
public struct TenantName: Sendable, Hashable, CustomStringConvertible {
    public let value: String

    /// Suffixes of the namespaces a tenant may get (`NAME-gateway`, `NAME-system`, `NAME-apps`),
    /// which must stay within the 63-character label limit.
    static let namespaceSuffixes = ["-gateway", "-system", "-apps"]

    public init(_ value: String) throws(CapsuleError) {
        if let reason = DNSLabel.problem(with: value) {
            throw .invalidTenantName(name: value, reason: reason)
        }
        let longest = Self.namespaceSuffixes.map { value + $0 }.max { $0.count < $1.count } ?? value
        if longest.count > DNSLabel.maxLength {
            throw .invalidTenantName(name: value,
                                     reason: "namespace \(longest) would be longer than \(DNSLabel.maxLength) characters")
        }
        self.value = value
    }

    public var description: String { value }

    var gatewayNamespace: String { value + "-gateway" }
    var systemNamespace: String { value + "-system" }
    var appsNamespace: String { value + "-apps" }
    var reconciler: String { value + "-reconciler" }
    var appsObjectName: String { value + "-apps" }
}
