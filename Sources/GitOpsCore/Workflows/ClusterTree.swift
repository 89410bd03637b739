/// An object as kustomize-controller's inventory names it: no version, just where and what.
public struct InventoryObject: Sendable, Hashable {
    public var namespace: String
    public var name: String
    public var group: String
    public var kind: String

    public init(namespace: String, name: String, group: String, kind: String) {
        self.namespace = namespace
        self.name = name
        self.group = group
        self.kind = kind
    }

    /// Parses an inventory entry id `<namespace>_<name>_<group>_<kind>` the way fluxcd/cli-utils
    /// `ParseObjMetadata` does: namespace before the first `_`, kind after the last, group after
    /// the last `_` of what is left, and `__` in the name read back as `:` (RBAC names).
    init?(inventoryID id: String) {
        guard let first = id.firstIndex(of: "_"), let last = id.lastIndex(of: "_"), first < last else { return nil }
        let middle = id[id.index(after: first)..<last]
        guard let groupSeparator = middle.lastIndex(of: "_") else { return nil }
        namespace = String(id[..<first])
        kind = String(id[id.index(after: last)...])
        group = String(middle[middle.index(after: groupSeparator)...])
        name = String(middle[..<groupSeparator]).replacingOccurrences(of: "__", with: ":")
    }

    /// `Kind/namespace/name`, or `Kind/name` for cluster-scoped objects, as `flux tree` labels nodes.
    public var label: String { namespace.isEmpty ? "\(kind)/\(name)" : "\(kind)/\(namespace)/\(name)" }

    var isFluxObject: Bool { group.contains("toolkit.fluxcd.io") }
    var isKustomization: Bool { group == "kustomize.toolkit.fluxcd.io" && kind == "Kustomization" }
    var isHelmRelease: Bool { group == "helm.toolkit.fluxcd.io" && kind == "HelmRelease" }
}

/// One node of `tree ks NAME --cluster`: an object and what it manages. `cycle` marks a
/// Kustomization already shown higher up the same branch, which is not followed again.
public struct ClusterTreeNode: Sendable, Equatable {
    public var resource: InventoryObject
    public var resources: [ClusterTreeNode] = []
    public var cycle = false
}

/// Builds the tree `flux tree kustomization` prints from the cluster (flux2 `tree_kustomization.go`):
/// the Kustomization's `status.inventory`, child Kustomizations followed, HelmReleases expanded
/// from their Helm release Secret.
public struct ClusterTree: Sendable {
    public let client: KubeClient
    /// `--compact`: Flux objects only.
    public var compact: Bool

    public init(client: KubeClient, compact: Bool = false) {
        self.client = client
        self.compact = compact
    }

    public func tree(kustomization name: String, namespace: String) async throws(ReconcileError) -> ClusterTreeNode {
        let object = try await Reconciler(client: client).fetch(.kustomization, name: name, namespace: namespace)
        let root = InventoryObject(namespace: namespace, name: name, group: FluxKind.kustomization.groupVersionKind.group,
                                   kind: "Kustomization")
        return ClusterTreeNode(resource: root, resources: try await children(of: object, root: root, path: [root]))
    }

    private func children(of kustomization: KubeObject, root: InventoryObject,
                          path: Set<InventoryObject>) async throws(ReconcileError) -> [ClusterTreeNode] {
        var nodes: [ClusterTreeNode] = []
        let followsChildren = kustomization.json.at("spec.kubeConfig") == nil
        for entry in kustomization.json.at("status.inventory.entries")?.arrayValue ?? [] {
            let id = entry["id"]?.stringValue ?? ""
            guard let object = InventoryObject(inventoryID: id) else {
                throw .malformedInventoryEntry(id, object: root.label)
            }
            if compact, !object.isFluxObject { continue }
            // flux-system lists itself in its own inventory.
            if object == root { continue }
            var node = ClusterTreeNode(resource: object)
            if object.isHelmRelease {
                node.resources = try await HelmReleaseManifest(client: client)
                    .objects(of: object)
                    .filter { !compact || $0.isFluxObject }
                    .map { ClusterTreeNode(resource: $0) }
            }
            if object.isKustomization, followsChildren {
                if path.contains(object) {
                    node.cycle = true
                } else {
                    let child = try await Reconciler(client: client).fetch(.kustomization, name: object.name,
                                                                           namespace: object.namespace)
                    node.resources = try await children(of: child, root: object, path: path.union([object]))
                }
            }
            nodes.append(node)
        }
        return nodes
    }
}
