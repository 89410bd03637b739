import GitOpsCore

/// `tree ks NAME` from the checkout, and `--deps`.
enum TreeLocal {
    static func run(_ invocation: Invocation) throws -> ExitStatus {
        let arguments = invocation.arguments
        guard let name = arguments.positional(0) else { throw UsageError.missingArgument("NAME") }
        let format = try invocation.outputFormat()
        let deps = arguments.flag("deps")
        let repo = try LocalRepository.load(invocation, scope: deps ? .dependencyGraph : .everything)
        let namespace = arguments.values["namespace"]?.last
        if deps {
            let graph = try TreeKustomization.dependencies(repo, name: name, namespace: namespace)
            try invocation.output.render(DependencyGraphView(graph: graph), as: format)
            for cycle in graph.cycles { invocation.reporter.failure("dependency cycle: \(DependencyGraph.describe(cycle))") }
            for missing in graph.missing {
                invocation.reporter.failure("\(missing.origin): \(missing.from) depends on \(missing.target), which is not in the repository")
            }
            return graph.cycles.isEmpty && graph.missing.isEmpty ? 0 : 1
        }
        guard format != .dot && format != .mermaid else {
            throw UsageError.invalidChoice(option: "--output", value: format.rawValue, choices: ["text", "json", "yaml"])
        }
        let tree = try TreeKustomization.tree(repo, name: name, namespace: namespace, compact: arguments.flag("compact"))
        LocalRepository.warn(repo, reporter: invocation.reporter)
        try invocation.output.render(InventoryTreeView(tree: tree, sortedKeys: format == .yaml), as: format)
        if format == .yaml { invocation.output.write(TreeYAML.trailer) }
        return 0
    }
}

/// flux prints its YAML tree with Println after a marshaller that already ends the text with a
/// newline, so an empty line follows it.
enum TreeYAML {
    static let trailer = "\n"
}

/// The flux tree drawing, and flux's JSON/YAML node shape (`resource` with capitalised Go
/// field names, `resources` omitted when empty); HelmReleases add their `chart`. JSON keeps
/// the Go struct order (Namespace, Name, GroupKind); flux makes YAML from that JSON
/// (sigs.k8s.io/yaml), which sorts every mapping's keys.
struct InventoryTreeView: Renderable {
    var tree: InventoryTree
    var sortedKeys = false

    func humanText(color: Bool) -> String { tree.drawing }

    var document: Document { document(tree) }

    private func document(_ node: InventoryTree) -> Document {
        var members: [Document.Member] = [.init(key: "resource", value: resource(node.entry))]
        if let chart = node.chart {
            members.append(.init(key: "chart", value: .object(ordered([
                ("name", .string(chart.name)), ("version", .string(chart.version)),
                ("sourceRef", .string(chart.source.description)),
            ]))))
        }
        if !node.children.isEmpty {
            members.append(.init(key: "resources", value: .array(node.children.map(document))))
        }
        return .object(ordered(members.map { ($0.key, $0.value) }))
    }

    private func resource(_ entry: InventoryEntry) -> Document {
        let groupKind = Document.object(ordered([("Group", .string(entry.group)), ("Kind", .string(entry.kind))]))
        return .object(ordered([("Namespace", .string(entry.namespace)), ("Name", .string(entry.name)),
                                ("GroupKind", groupKind)]))
    }

    private func ordered(_ pairs: [(String, Document)]) -> [Document.Member] {
        let members = pairs.map { Document.Member(key: $0.0, value: $0.1) }
        return sortedKeys ? members.sorted { $0.key < $1.key } : members
    }
}

/// `--deps`: drawing, DOT, Mermaid, and a JSON/YAML document of nodes, layers, cycles, missing.
struct DependencyGraphView: Renderable {
    var graph: DependencyGraph

    func humanText(color: Bool) -> String { graph.drawing }

    func text(for format: OutputFormat) -> String? {
        switch format {
        case .dot: return graph.dot
        case .mermaid: return graph.mermaid
        default: return nil
        }
    }

    var document: Document {
        func key(_ k: FluxObjectKey) -> Document {
            ["kind": .string(k.kind), "namespace": .string(k.namespace), "name": .string(k.name)]
        }
        return [
            "nodes": .array(graph.nodes.map { node in
                ["kind": .string(node.key.kind), "namespace": .string(node.key.namespace), "name": .string(node.key.name),
                 "dependsOn": .array(node.dependsOn.map { key($0.key) })]
            }),
            "layers": .array(graph.layers.map { .array($0.map(key)) }),
            "cycles": .array(graph.cycles.map { .array($0.map(key)) }),
            "missing": .array(graph.missing.map { ["from": key($0.from), "target": key($0.target)] }),
        ]
    }
}
