/// One object a Kustomization applies, as kustomize-controller records it in
/// `status.inventory` (`<namespace>_<name>_<group>_<kind>` plus the version).
public struct InventoryEntry: Sendable, Hashable {
    public var group: String
    public var version: String
    public var kind: String
    public var namespace: String
    public var name: String

    public init(group: String, version: String, kind: String, namespace: String, name: String) {
        self.group = group
        self.version = version
        self.kind = kind
        self.namespace = namespace
        self.name = name
    }

    /// From a built object's `apiVersion`, `kind` and metadata.
    init?(_ object: YAMLNode) {
        guard let apiVersion = object["apiVersion"]?.scalar, let kind = object["kind"]?.scalar,
              let name = object["metadata"]?["name"]?.scalar else { return nil }
        let slash = apiVersion.firstIndex(of: "/")
        self.init(group: slash.map { String(apiVersion[..<$0]) } ?? "",
                  version: slash.map { String(apiVersion[apiVersion.index(after: $0)...]) } ?? apiVersion, kind: kind,
                  namespace: object["metadata"]?["namespace"]?.scalar ?? "", name: name)
    }

    public var key: FluxObjectKey { FluxObjectKey(kind: kind, namespace: namespace, name: name) }

    /// The `status.inventory` id; `:` in RBAC names is written `__` as the controller does.
    public var id: String {
        let rbac = group == "rbac.authorization.k8s.io"
        let storedName = rbac ? name.replacingOccurrences(of: ":", with: "__") : name
        return "\(namespace)_\(storedName)_\(group)_\(kind)"
    }

    var isFluxObject: Bool { group.hasSuffix("toolkit.fluxcd.io") }

    /// Whether an object of this `apiVersion` is a Flux object, before decoding it.
    static func isFluxAPIVersion(_ apiVersion: String?) -> Bool {
        guard let apiVersion, let slash = apiVersion.firstIndex(of: "/") else { return false }
        return apiVersion[..<slash].hasSuffix("toolkit.fluxcd.io")
    }

    /// Apply order (fluxcd/pkg ssa): CRDs, Namespaces and ClusterRoles, then `*Class` kinds,
    /// then the rest, each by the kind rank list, ties by group, kind, namespace, name.
    static func applyOrder(_ a: InventoryEntry, _ b: InventoryEntry) -> Bool {
        let ra = (a.stage, a.rank), rb = (b.stage, b.rank)
        if ra != rb { return ra < rb }
        return (a.group, a.kind, a.namespace, a.name) < (b.group, b.kind, b.namespace, b.name)
    }

    private static let firstStage: Set<String> = ["CustomResourceDefinition", "Namespace", "ClusterRole"]
    private static let ranks: [String: Int] = {
        let kinds = ["CustomResourceDefinition", "Namespace", "ClusterRole", "ClusterClass", "RuntimeClass",
                     "PriorityClass", "StorageClass", "VolumeSnapshotClass", "IngressClass", "GatewayClass",
                     "ClusterRoleBinding", "ResourceQuota", "ServiceAccount", "Role", "RoleBinding", "ConfigMap",
                     "Secret", "Service", "LimitRange", "Deployment", "StatefulSet", "CronJob", "PodDisruptionBudget"]
        var table = Dictionary(uniqueKeysWithValues: kinds.enumerated().map { ($1, $0) })
        table["MutatingWebhookConfiguration"] = kinds.count + 1
        table["ValidatingWebhookConfiguration"] = kinds.count + 2
        return table
    }()

    private var stage: Int {
        if Self.firstStage.contains(kind) { return 1 }
        if kind.hasSuffix("Class") { return 2 }
        return 4
    }

    private var rank: Int { Self.ranks[kind] ?? Self.ranks.count - 2 }
}
