/// Identifies one object in a repository build: its kind, namespace and name
/// (`Kustomization/flux-system/apps`; the namespace is empty for cluster-scoped objects).
public struct FluxObjectKey: Sendable, Hashable, Comparable, CustomStringConvertible {
    public var kind: String
    public var namespace: String
    public var name: String

    public init(kind: String, namespace: String, name: String) {
        self.kind = kind
        self.namespace = namespace
        self.name = name
    }

    /// `Kind/namespace/name`, or `Kind/name` when cluster-scoped: the label `flux tree` prints.
    public var description: String {
        namespace.isEmpty ? "\(kind)/\(name)" : "\(kind)/\(namespace)/\(name)"
    }

    public static func < (lhs: FluxObjectKey, rhs: FluxObjectKey) -> Bool {
        (lhs.kind, lhs.namespace, lhs.name) < (rhs.kind, rhs.namespace, rhs.name)
    }
}

/// Where an object was written: the file (relative to the repository) and the `line:col` of
/// its first key, for diagnostics.
public struct FluxOrigin: Sendable, Hashable, CustomStringConvertible {
    public var file: String
    public var at: YAMLMark?

    public init(file: String, at: YAMLMark?) {
        self.file = file
        self.at = at
    }

    /// `file:line:col` (or just the file when the position is unknown).
    public var description: String { at.map { "\(file):\($0)" } ?? file }
}
