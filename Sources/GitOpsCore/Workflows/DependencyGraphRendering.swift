/// The text forms of a dependency graph for `tree ks NAME --deps`: a flux-tree style drawing
/// (each object above what it waits for), Graphviz DOT and a Mermaid flowchart. Edges point
/// from an object to the dependency it waits for.
extension DependencyGraph {
    /// Objects nobody depends on at the top, their dependencies nested below; cycles and
    /// missing targets are marked where they are met.
    public var drawing: String {
        let dependedOn = Set(nodes.flatMap { $0.dependsOn.map(\.key) })
        var tops = nodes.filter { !dependedOn.contains($0.key) }.map(\.key)
        // Objects only reachable through a cycle still get drawn.
        let cycleStarts = cycles.compactMap(\.first).filter { !tops.contains($0) }
        tops += cycleStarts
        var out = ""
        for top in tops.sorted() {
            out += top.description + "\n"
            draw(top, prefix: "", path: [top], into: &out)
        }
        return out
    }

    private func draw(_ key: FluxObjectKey, prefix: String, path: [FluxObjectKey], into out: inout String) {
        let dependencies = node(key)?.dependsOn.map(\.key) ?? []
        for (index, dependency) in dependencies.enumerated() {
            let last = index == dependencies.count - 1
            var label = dependency.description
            let known = node(dependency) != nil
            if !known { label += " (missing)" } else if path.contains(dependency) { label += " (cycle)" }
            out += prefix + (last ? "└── " : "├── ") + label + "\n"
            if known && !path.contains(dependency) {
                draw(dependency, prefix: prefix + (last ? "    " : "│   "), path: path + [dependency], into: &out)
            }
        }
    }

    public var dot: String {
        var out = "digraph dependsOn {\n  rankdir=LR;\n  node [shape=box];\n"
        for node in nodes.sorted(by: { $0.key < $1.key }) {
            out += "  \(Self.quoted(node.key.description));\n"
        }
        for node in nodes.sorted(by: { $0.key < $1.key }) {
            for dependency in node.dependsOn {
                let style = self.node(dependency.key) == nil ? " [style=dashed, color=red, label=\"missing\"]" : ""
                out += "  \(Self.quoted(node.key.description)) -> \(Self.quoted(dependency.key.description))\(style);\n"
            }
        }
        return out + "}\n"
    }

    public var mermaid: String {
        let sorted = nodes.map(\.key).sorted()
        var ids: [FluxObjectKey: String] = [:]
        var out = "flowchart LR\n"
        for (index, key) in sorted.enumerated() {
            ids[key] = "n\(index)"
            out += "  n\(index)[\"\(key)\"]\n"
        }
        var extra = sorted.count
        for key in sorted {
            for dependency in node(key)?.dependsOn ?? [] {
                if ids[dependency.key] == nil {
                    ids[dependency.key] = "n\(extra)"
                    out += "  n\(extra)[\"\(dependency.key) (missing)\"]\n"
                    extra += 1
                }
                out += "  \(ids[key] ?? "") --> \(ids[dependency.key] ?? "")\n"
            }
        }
        return out
    }

    private static func quoted(_ text: String) -> String {
        "\"" + text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
    }
}
