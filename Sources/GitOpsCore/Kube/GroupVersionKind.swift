/// A kind in one API group version (`kustomize.toolkit.fluxcd.io/v1`, `Kustomization`).
public struct GroupVersionKind: Sendable, Hashable, CustomStringConvertible {
    public var group: String
    public var version: String
    public var kind: String

    public init(group: String, version: String, kind: String) {
        self.group = group
        self.version = version
        self.kind = kind
    }

    /// From an object's `apiVersion` (`v1`, `apps/v1`) and `kind`.
    public init(apiVersion: String, kind: String) {
        let parts = apiVersion.split(separator: "/", maxSplits: 1).map(String.init)
        self.init(group: parts.count == 2 ? parts[0] : "", version: parts.last ?? "", kind: kind)
    }

    public var apiVersion: String { group.isEmpty ? version : "\(group)/\(version)" }
    public var description: String { "\(kind) (\(apiVersion))" }

    public static let namespace = GroupVersionKind(group: "", version: "v1", kind: "Namespace")
    public static let configMap = GroupVersionKind(group: "", version: "v1", kind: "ConfigMap")
    public static let secret = GroupVersionKind(group: "", version: "v1", kind: "Secret")
    public static let deployment = GroupVersionKind(group: "apps", version: "v1", kind: "Deployment")
    public static let customResourceDefinition =
        GroupVersionKind(group: "apiextensions.k8s.io", version: "v1", kind: "CustomResourceDefinition")
    public static let kustomization = GroupVersionKind(group: "kustomize.toolkit.fluxcd.io", version: "v1", kind: "Kustomization")
    public static let helmRelease = GroupVersionKind(group: "helm.toolkit.fluxcd.io", version: "v2", kind: "HelmRelease")
    public static let gitRepository = GroupVersionKind(group: "source.toolkit.fluxcd.io", version: "v1", kind: "GitRepository")
}

/// How the API serves a kind: its resource name (the URL segment) and whether it is namespaced.
public struct APIResource: Sendable, Hashable {
    public var kind: GroupVersionKind
    public var name: String
    public var namespaced: Bool
    public var verbs: [String]
    public var shortNames: [String]
    public var hasStatus: Bool

    /// The collection URL path, in `namespace` when the kind is namespaced and one is given.
    func collectionPath(namespace: String?) -> String {
        let root = kind.group.isEmpty ? "/api/\(kind.version)" : "/apis/\(kind.group)/\(kind.version)"
        if namespaced, let namespace, !namespace.isEmpty {
            return "\(root)/namespaces/\(KubeClient.pathSegment(namespace))/\(name)"
        }
        return "\(root)/\(name)"
    }
}
