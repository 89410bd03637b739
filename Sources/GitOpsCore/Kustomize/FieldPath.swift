/// A kustomize field path: `spec.template.spec.containers.[name=app].image`, `a.b.0.c`,
/// `metadata.annotations.[key.with.dots]`, `*` for every list item.
struct FieldPath {
    var segments: [String]

    init(_ text: String) {
        var segments: [String] = [], current = "", depth = 0
        for c in text {
            if c == "[" { depth += 1 } else if c == "]" { depth -= 1 }
            if c == "." && depth == 0 { segments.append(current); current = "" } else { current.append(c) }
        }
        segments.append(current)
        self.segments = segments.filter { !$0.isEmpty }
    }

    /// Calls `body` with every node the path reaches, changing nothing.
    func visit(_ node: YAMLNode, _ body: (YAMLNode) -> Void) {
        var copy = node
        FieldPath.walk(&copy, segments[...], create: false) { v in body(v); return v }
    }

    func update(_ node: inout YAMLNode, create: Bool, _ change: (YAMLNode) -> YAMLNode) {
        FieldPath.walk(&node, segments[...], create: create, change)
    }

    private static func walk(_ node: inout YAMLNode, _ path: ArraySlice<String>, create: Bool,
                             _ change: (YAMLNode) -> YAMLNode) {
        guard let step = path.first else { node = change(node); return }
        let rest = path.dropFirst()
        if step.hasPrefix("[") && step.hasSuffix("]") {
            let inner = step.dropFirst().dropLast()
            if let eq = inner.firstIndex(of: "="), node.isSequence {
                let key = String(inner[..<eq]), value = String(inner[inner.index(after: eq)...])
                var items = node.items
                for i in items.indices where items[i][key]?.scalar == value { walk(&items[i], rest, create: create, change) }
                node.content = .sequence(items)
                return
            }
            return walkKey(&node, String(inner), rest, create: create, change)
        }
        if node.isSequence {
            var items = node.items
            if step == "*" || step == "-" {
                for i in items.indices { walk(&items[i], rest, create: create, change) }
            } else if let index = Int(step), items.indices.contains(index) {
                walk(&items[index], rest, create: create, change)
            }
            node.content = .sequence(items)
            return
        }
        walkKey(&node, step, rest, create: create, change)
    }

    private static func walkKey(_ node: inout YAMLNode, _ key: String, _ rest: ArraySlice<String>, create: Bool,
                                _ change: (YAMLNode) -> YAMLNode) {
        guard node.isMapping || (create && node.isNullScalar) else { return }
        if var child = node[key] {
            walk(&child, rest, create: create, change)
            node[key] = child
        } else if create {
            var child = YAMLNode(mapping: [])
            if rest.isEmpty { child = YAMLNode.null }
            walk(&child, rest, create: create, change)
            node[key] = child
        }
    }
}
