import GitOpsCore

/// `tree ks NAME --cluster`: the Kustomization's inventory as the cluster records it, drawn as
/// `flux tree kustomization` draws it.
enum TreeCluster {
    static func run(_ invocation: Invocation) async throws -> ExitStatus {
        let arguments = invocation.arguments
        guard let name = arguments.positional(0) else { throw invocation.usageError(.missingArgument("kustomization NAME")) }
        let format = try invocation.outputFormat()
        guard [.text, .json, .yaml].contains(format) else {
            throw invocation.usageError(.invalidChoice(option: "--output", value: format.rawValue, choices: ["json", "yaml"]))
        }
        let namespace = try ClusterWorkflowSession.namespace(invocation)
        let session = try ClusterWorkflowSession(invocation)
        let tree = try await ClusterTree(client: session.client, compact: arguments.flag("compact"))
            .tree(kustomization: name, namespace: namespace)
        try invocation.output.render(ClusterTreeOutput(root: tree, sortedKeys: format == .yaml), as: format)
        if format == .yaml { invocation.output.write(TreeYAML.trailer) }
        return 0
    }
}

/// The rendered tree. JSON keeps flux's Go field order (Namespace, Name, GroupKind); flux makes
/// its YAML from that JSON, which sorts the keys, so YAML gets them sorted.
struct ClusterTreeOutput: Renderable {
    var root: ClusterTreeNode
    var sortedKeys: Bool

    var document: Document { document(root) }

    private func document(_ node: ClusterTreeNode) -> Document {
        let groupKind: Document = ["Group": .string(node.resource.group), "Kind": .string(node.resource.kind)]
        let resource: Document = sortedKeys
            ? ["GroupKind": groupKind, "Name": .string(node.resource.name), "Namespace": .string(node.resource.namespace)]
            : ["Namespace": .string(node.resource.namespace), "Name": .string(node.resource.name), "GroupKind": groupKind]
        var members: [Document.Member] = [Document.Member(key: "resource", value: resource)]
        if !node.resources.isEmpty { members.append(Document.Member(key: "resources", value: .array(node.resources.map(document)))) }
        if node.cycle { members.append(Document.Member(key: "cycle", value: .bool(true))) }
        return .object(members)
    }

    /// flux prints the tree with Println, so the text ends with an empty line.
    func humanText(color: Bool) -> String {
        var out = root.resource.label + "\n"
        draw(root.resources, prefix: "", into: &out)
        return out + "\n"
    }

    private func draw(_ nodes: [ClusterTreeNode], prefix: String, into out: inout String) {
        for (index, node) in nodes.enumerated() {
            let last = index == nodes.count - 1
            out += prefix + (last ? "└── " : "├── ") + node.resource.label
            out += node.cycle ? " (cycle: already shown above, not followed)\n" : "\n"
            draw(node.resources, prefix: prefix + (last ? "    " : "│   "), into: &out)
        }
    }
}
