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
        try invocation.output.render(InventoryTreeView(tree: tree), as: format)
        return 0
    }
}

/// The flux tree drawing, and flux's JSON/YAML node shape (`resource` with capitalised Go
/// field names, `resources` omitted when empty); HelmReleases add their `chart`.
struct InventoryTreeView: Renderable {
    var tree: InventoryTree

    func humanText(color: Bool) -> String { tree.drawing }

    var document: Document { Self.document(tree) }

    static func document(_ node: InventoryTree) -> Document {
        var members: [Document.Member] = [
            .init(key: "resource", value: [
                "Namespace": .string(node.entry.namespace), "Name": .string(node.entry.name),
                "GroupKind": ["Group": .string(node.entry.group), "Kind": .string(node.entry.kind)],
            ]),
        ]
        if let chart = node.chart {
            members.append(.init(key: "chart", value: [
                "name": .string(chart.name), "version": .string(chart.version), "sourceRef": .string(chart.source.description),
            ]))
        }
        if !node.children.isEmpty {
            members.append(.init(key: "resources", value: .array(node.children.map(document))))
        }
        return .object(members)
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
