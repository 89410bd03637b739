// kustomize's view of a kind: its legacy sort string and whether its built-in schema knows
// it as cluster scoped.
extension GroupVersionKind {
    /// kustomize's pre-v5 GVK string, which its legacy sort still compares (kyaml resid/gvk.go).
    var legacySortString: String {
        "\(group.isEmpty ? "~G" : group)_\(version.isEmpty ? "~V" : version)_\(kind.isEmpty ? "~K" : kind)"
    }

    /// Whether kustomize's built-in schema knows the kind as cluster scoped. Unknown kinds
    /// (custom resources) count as namespaced, as kustomize treats them.
    var isClusterScoped: Bool { GroupVersionKind.clusterScopedKinds.contains(kind) }

    static let clusterScopedKinds: Set<String> = [
        "APIService", "CSIDriver", "CSINode", "CertificateSigningRequest", "ClusterRole",
        "ClusterRoleBinding", "ComponentStatus", "CustomResourceDefinition", "FlowSchema",
        "IngressClass", "MutatingWebhookConfiguration", "Namespace", "Node", "PersistentVolume",
        "PodSecurityPolicy", "PriorityClass", "PriorityLevelConfiguration", "RuntimeClass",
        "SelfSubjectAccessReview", "SelfSubjectRulesReview", "StorageClass", "SubjectAccessReview",
        "TokenReview", "ValidatingAdmissionPolicy", "ValidatingAdmissionPolicyBinding",
        "ValidatingWebhookConfiguration", "VolumeAttachment", "ClusterTrustBundle", "IPAddress",
        "ServiceCIDR", "DeviceClass", "StorageVersionMigration", "VolumeAttributesClass",
    ]
}

/// The identity kustomize gives an object: GVK, namespace and name.
struct ResourceID: Hashable, Sendable, CustomStringConvertible {
    var gvk: GroupVersionKind
    var name: String
    var namespace: String

    /// The namespace kustomize compares: `default` for an unset namespace of a namespaced kind.
    var effectiveNamespace: String {
        if gvk.isClusterScoped { return "_non_namespaceable_" }
        return namespace.isEmpty ? "default" : namespace
    }

    var description: String {
        let ns = namespace.isEmpty ? "" : "[ns=\(namespace)]"
        return "\(gvk.kind).\(gvk.version).\(gvk.group.isEmpty ? "[noGrp]" : gvk.group)/\(name).\(ns.isEmpty ? "[noNs]" : ns)"
    }

    /// `Kind/namespace/name` for messages.
    var shortDescription: String {
        namespace.isEmpty ? "\(gvk.kind)/\(name)" : "\(gvk.kind)/\(namespace)/\(name)"
    }

    func sameObject(as other: ResourceID) -> Bool {
        gvk == other.gvk && name == other.name && effectiveNamespace == other.effectiveNamespace
    }
}

/// kustomize's default ("legacy") output order: some kinds first, webhooks last, the rest by
/// GVK, then by namespace and name (api/builtins/SortOrderTransformer.go).
enum LegacyOrder {
    static let first = [
        "Namespace", "ResourceQuota", "StorageClass", "CustomResourceDefinition", "ServiceAccount",
        "PodSecurityPolicy", "Role", "ClusterRole", "RoleBinding", "ClusterRoleBinding", "ConfigMap",
        "Secret", "Endpoints", "Service", "LimitRange", "PriorityClass", "PersistentVolume",
        "PersistentVolumeClaim", "Deployment", "StatefulSet", "CronJob", "PodDisruptionBudget",
    ]
    static let last = ["MutatingWebhookConfiguration", "ValidatingWebhookConfiguration"]

    static func ranks(first: [String], last: [String]) -> [String: Int] {
        var ranks: [String: Int] = [:]
        for (i, kind) in first.enumerated() { ranks[kind] = i - first.count }
        for (i, kind) in last.enumerated() { ranks[kind] = i + 1 }
        return ranks
    }

    /// Sorts with each object's id computed once. Within one GVK, kustomize compares the
    /// string `namespace|name` with an unset namespace written `~X` (so it sorts after set
    /// ones, and `a-b` before `a`).
    static func sorted(_ resources: [KustomizeResource], first: [String], last: [String]) -> [KustomizeResource] {
        let rank = ranks(first: first, last: last)
        let keyed = resources.map { r -> (key: SortKey, resource: KustomizeResource) in
            let id = r.id
            let namespace = id.namespace.isEmpty ? "~X" : id.namespace
            let name = id.name.isEmpty ? "~N" : id.name
            return (SortKey(rank: rank[id.gvk.kind] ?? 0, gvk: id.gvk, gvkString: id.gvk.legacySortString,
                            id: Array("\(namespace)|\(name)".utf8)), r)
        }
        return keyed.sorted { a, b in
            if a.key.gvk != b.key.gvk {
                if a.key.rank != b.key.rank { return a.key.rank < b.key.rank }
                // kustomize's special case: Namespaces of different groups sort descending.
                if a.key.gvk.kind == "Namespace" && b.key.gvk.kind == "Namespace"
                    && (a.key.gvk.group.isEmpty || b.key.gvk.group.isEmpty) {
                    return a.key.gvkString > b.key.gvkString
                }
                return a.key.gvkString < b.key.gvkString
            }
            return a.key.id.lexicographicallyPrecedes(b.key.id)
        }.map(\.resource)
    }

    struct SortKey {
        var rank: Int
        var gvk: GroupVersionKind
        var gvkString: String
        /// `namespace|name` as bytes: Go compares strings bytewise.
        var id: [UInt8]
    }
}
