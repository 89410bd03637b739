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
        _ = try? FieldPath.walk(&copy, segments[...], create: false) { v in body(v); return v }
    }

    /// Changes every node the path reaches and returns how many there were. With `create`,
    /// missing fields are added (a sequence where the next step indexes or matches list
    /// items, as kyaml's PathMatcher does); `[k=v]` with no match appends `{k: v}`.
    @discardableResult
    func update(_ node: inout YAMLNode, create: Bool, _ change: (YAMLNode) throws -> YAMLNode) throws -> Int {
        var count = 0
        try FieldPath.walk(&node, segments[...], create: create) { old in
            count += 1
            return try change(old)
        }
        return count
    }

    /// A failure kustomize reports while walking to a replacement target.
    struct Failure: Error { var problem: String }

    private static func isListStep(_ step: String) -> Bool {
        (step.hasPrefix("[") && step.contains("=")) || Int(step) != nil || step == "*" || step == "-"
    }

    private static func walk(_ node: inout YAMLNode, _ path: ArraySlice<String>, create: Bool,
                             _ change: (YAMLNode) throws -> YAMLNode) throws {
        guard let step = path.first else { node = try change(node); return }
        let rest = path.dropFirst()
        if create && node.isNullScalar && isListStep(step) { node = YAMLNode(sequence: []) }
        if step.hasPrefix("[") && step.hasSuffix("]") {
            let inner = step.dropFirst().dropLast()
            if let eq = inner.firstIndex(of: "=") {
                guard node.isSequence else { return }
                let key = String(inner[..<eq]), value = String(inner[inner.index(after: eq)...])
                var items = node.items
                var matched = false
                for i in items.indices where items[i][key]?.scalar == value {
                    matched = true
                    try walk(&items[i], rest, create: create, change)
                }
                if !matched && create {
                    var item = YAMLNode(mapping: [YAMLPair(key: YAMLNode(string: key), value: YAMLNode(string: value))])
                    try walk(&item, rest, create: create, change)
                    items.append(item)
                }
                node.content = .sequence(items)
                return
            }
            return try walkKey(&node, String(inner), rest, create: create, change)
        }
        if node.isSequence {
            var items = node.items
            if step == "*" || step == "-" {
                for i in items.indices { try walk(&items[i], rest, create: create, change) }
            } else if let index = Int(step) {
                if items.indices.contains(index) {
                    try walk(&items[index], rest, create: create, change)
                } else if create && index == items.count {
                    var item = placeholder(before: rest)
                    try walk(&item, rest, create: create, change)
                    items.append(item)
                } else if create {
                    throw Failure(problem: "index \(index) specified but only \(items.count) elements found")
                }
            }
            node.content = .sequence(items)
            return
        }
        try walkKey(&node, step, rest, create: create, change)
    }

    /// What a created field holds before the rest of the path fills it.
    private static func placeholder(before rest: ArraySlice<String>) -> YAMLNode {
        guard let next = rest.first else { return YAMLNode.null }
        return isListStep(next) ? YAMLNode(sequence: []) : YAMLNode(mapping: [])
    }

    private static func walkKey(_ node: inout YAMLNode, _ key: String, _ rest: ArraySlice<String>, create: Bool,
                                _ change: (YAMLNode) throws -> YAMLNode) throws {
        if create && node.isNullScalar { node = YAMLNode(mapping: []) }
        guard node.isMapping else { return }
        if var child = node[key] {
            try walk(&child, rest, create: create, change)
            node[key] = child
        } else if create {
            var child = placeholder(before: rest)
            try walk(&child, rest, create: create, change)
            node[key] = child
        }
    }
}
