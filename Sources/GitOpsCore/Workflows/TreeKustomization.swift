/// One node of `tree ks NAME`: an object a Kustomization applies, with what it applies in turn
/// when it is a Kustomization, and its chart when it is a HelmRelease.
public struct InventoryTree: Sendable, Equatable {
    /// A HelmRelease's chart: what `flux tree` would list under it, known offline.
    public struct Chart: Sendable, Equatable {
        public var name: String
        public var version: String
        public var source: FluxObjectKey

        /// `cilium@1.16.x from HelmRepository/kube-system/cilium`, or the chartRef alone.
        public var summary: String {
            name.isEmpty ? "chart from \(source)" : "chart \(name)@\(version) from \(source)"
        }
    }

    public var entry: InventoryEntry
    public var chart: Chart?
    /// Set for a Kustomization whose source is not this checkout (it is not built).
    public var external: Bool
    public var children: [InventoryTree]

    /// The flux tree drawing: root line, `├── `/`└── ` connectors, `│   ` continuation, and the
    /// trailing empty line `flux tree` prints.
    public var drawing: String {
        var out = entry.key.description + "\n"
        draw(children, prefix: "", into: &out)
        return out + "\n"
    }

    private func draw(_ nodes: [InventoryTree], prefix: String, into out: inout String) {
        for (index, node) in nodes.enumerated() {
            let last = index == nodes.count - 1
            var label = node.entry.key.description
            if let chart = node.chart { label += " (\(chart.summary))" }
            if node.external { label += " (external source)" }
            out += prefix + (last ? "└── " : "├── ") + label + "\n"
            draw(node.children, prefix: prefix + (last ? "    " : "│   "), into: &out)
        }
    }
}

/// `gitopsctl tree ks NAME` from the checkout: the inventory of NAME, child Kustomizations
/// expanded into theirs, as `flux tree` walks `status.inventory` (flux2 cmd/flux/tree_kustomization.go).
public enum TreeKustomization {
    public static func tree(_ repo: FluxRepo, name: String, namespace: String? = nil,
                            compact: Bool) throws(FluxError) -> InventoryTree {
        let key: FluxObjectKey
        if let found = repo.kustomization(named: name, namespace: namespace) {
            key = found.key
        } else if name == repo.rootKey.name, namespace == nil || namespace == repo.rootKey.namespace {
            key = repo.rootKey
        } else {
            throw .kustomizationNotFound(name: name, namespace: namespace)
        }
        let root = InventoryEntry(group: "kustomize.toolkit.fluxcd.io", version: "v1", kind: "Kustomization",
                                  namespace: key.namespace, name: key.name)
        var visiting: Set<FluxObjectKey> = [key]
        return InventoryTree(entry: root, chart: nil, external: repo.external.contains(key),
                             children: children(of: key, repo: repo, compact: compact, visiting: &visiting))
    }

    private static func children(of key: FluxObjectKey, repo: FluxRepo, compact: Bool,
                                 visiting: inout Set<FluxObjectKey>) -> [InventoryTree] {
        var result: [InventoryTree] = []
        for entry in repo.inventory[key] ?? [] {
            if compact && !entry.group.contains("toolkit.fluxcd.io") { continue }
            var node = InventoryTree(entry: entry, chart: nil, external: false, children: [])
            if entry.group == "helm.toolkit.fluxcd.io", entry.kind == "HelmRelease",
               let release = repo.helmRelease(entry.key) {
                let chart = repo.chart(of: release)
                node.chart = .init(name: chart.name, version: chart.version, source: chart.source.key)
            }
            if entry.group == "kustomize.toolkit.fluxcd.io", entry.kind == "Kustomization" {
                node.external = repo.external.contains(entry.key)
                // A Kustomization listing an ancestor would recurse forever; flux tree would too,
                // offline we stop at the repeat.
                if !visiting.contains(entry.key) {
                    visiting.insert(entry.key)
                    node.children = children(of: entry.key, repo: repo, compact: compact, visiting: &visiting)
                    visiting.remove(entry.key)
                }
            }
            result.append(node)
        }
        return result
    }

    /// The `dependsOn` graph restricted to the Flux objects NAME applies, directly or through
    /// child Kustomizations (NAME included).
    public static func dependencies(_ repo: FluxRepo, name: String, namespace: String? = nil) throws(FluxError) -> DependencyGraph {
        let tree = try tree(repo, name: name, namespace: namespace, compact: true)
        var keys: Set<FluxObjectKey> = [tree.entry.key]
        func collect(_ node: InventoryTree) {
            keys.insert(node.entry.key)
            node.children.forEach(collect)
        }
        tree.children.forEach(collect)
        let full = DependencyGraph(repo)
        return DependencyGraph(nodes: full.nodes.filter { keys.contains($0.key) })
    }
}
