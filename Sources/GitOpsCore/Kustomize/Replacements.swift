import Foundation

/// One `replacements` entry: copy a field of one object into fields of others
/// (kustomize api/filters/replacement).
struct ReplacementSource: Sendable {
    struct Selector: Sendable {
        var group: String?, version: String?, kind: String?, name: String?, namespace: String?

        init(node: YAMLNode?) {
            group = node?["group"]?.scalar
            version = node?["version"]?.scalar
            kind = node?["kind"]?.scalar
            name = node?["name"]?.scalar
            namespace = node?["namespace"]?.scalar
        }

        func selects(_ r: KustomizeResource) -> Bool {
            let gvk = r.gvk
            if let group, group != gvk.group { return false }
            if let version, version != gvk.version { return false }
            if let kind, kind != gvk.kind { return false }
            if let name, name != r.name && !r.previousIDs.contains(where: { $0.name == name }) { return false }
            if let namespace, namespace != r.namespace { return false }
            return true
        }
    }

    struct Options: Sendable {
        var delimiter: String?
        var index = 0
        var create = false

        init(node: YAMLNode?) {
            delimiter = node?["delimiter"]?.scalar
            index = node?["index"]?.int ?? 0
            create = node?["create"]?.bool() ?? false
        }
    }

    struct Target: Sendable {
        var select: Selector
        var reject: [Selector]
        var fieldPaths: [String]
        var options: Options
    }

    var file: String
    var source: Selector
    var sourceFieldPath: String
    var sourceOptions: Options
    var targets: [Target]

    init(node: YAMLNode, file: String) throws {
        self.file = file
        guard let sourceNode = node["source"] else {
            throw KustomizeError.replacement(file: file, problem: "a replacement needs a source")
        }
        source = Selector(node: sourceNode)
        sourceFieldPath = sourceNode["fieldPath"]?.scalar ?? "metadata.name"
        sourceOptions = Options(node: sourceNode["options"])
        targets = (node["targets"]?.items ?? []).map { t in
            Target(select: Selector(node: t["select"]), reject: (t["reject"]?.items ?? []).map { Selector(node: $0) },
                   fieldPaths: t["fieldPaths"]?.items.compactMap(\.scalar) ?? ["metadata.name"],
                   options: Options(node: t["options"]))
        }
    }

    func apply(to resources: inout [KustomizeResource]) throws {
        let sources = resources.filter(source.selects)
        guard sources.count == 1, let sourceResource = sources.first else {
            throw KustomizeError.replacement(file: file, problem: sources.isEmpty
                ? "nothing selected by source \(source.kind ?? "")/\(source.name ?? "")"
                : "multiple matches for source \(source.kind ?? "")/\(source.name ?? "")")
        }
        var values: [YAMLNode] = []
        FieldPath(sourceFieldPath).visit(sourceResource.node, create: false) { values.append($0) }
        guard var value = values.first else {
            throw KustomizeError.replacement(file: file, problem: "fieldPath `\(sourceFieldPath)` is missing for replacement source \(sourceResource.id.shortDescription)")
        }
        if let delimiter = sourceOptions.delimiter, let text = value.scalar {
            let parts = text.components(separatedBy: delimiter)
            if parts.indices.contains(sourceOptions.index) { value = YAMLNode(string: parts[sourceOptions.index]) }
        }
        for target in targets {
            for i in resources.indices where target.select.selects(resources[i])
                && !target.reject.contains(where: { $0.selects(resources[i]) }) {
                for path in target.fieldPaths {
                    FieldPath(path).update(&resources[i].node, create: target.options.create) { old in
                        guard let delimiter = target.options.delimiter, let text = old.scalar, let new = value.scalar else {
                            return value
                        }
                        var parts = text.components(separatedBy: delimiter)
                        let index = target.options.index
                        if index < 0 { parts.insert(new, at: 0) } else if index >= parts.count { parts.append(new) } else { parts[index] = new }
                        return YAMLNode(string: parts.joined(separator: delimiter))
                    }
                }
            }
        }
    }
}

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

    func visit(_ node: YAMLNode, create: Bool, _ body: (YAMLNode) -> Void) {
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
