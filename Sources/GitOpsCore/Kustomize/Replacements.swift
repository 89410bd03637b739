import Foundation

/// One `replacements` entry: copy a field of one object into fields of others
/// (kustomize api/filters/replacement).
struct ReplacementSource: Sendable {
    struct Selector: Sendable {
        var group: String?, version: String?, kind: String?, name: String?, namespace: String?
        var labelSelector: LabelSelector?, annotationSelector: LabelSelector?

        init(node: YAMLNode?, file: String) throws {
            labelSelector = try node?["labelSelector"]?.scalar.map { try LabelSelector(parsing: $0, file: file) }
            annotationSelector = try node?["annotationSelector"]?.scalar.map { try LabelSelector(parsing: $0, file: file) }
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
            if let labelSelector, !labelSelector.matches(r.labels) { return false }
            if let annotationSelector, !annotationSelector.matches(r.annotations) { return false }
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
        source = try Selector(node: sourceNode, file: file)
        sourceFieldPath = sourceNode["fieldPath"]?.scalar ?? "metadata.name"
        sourceOptions = Options(node: sourceNode["options"])
        targets = try (node["targets"]?.items ?? []).map { t in
            Target(select: try Selector(node: t["select"], file: file),
                   reject: try (t["reject"]?.items ?? []).map { try Selector(node: $0, file: file) },
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
        FieldPath(sourceFieldPath).visit(sourceResource.node) { values.append($0) }
        guard var value = values.first else {
            throw KustomizeError.replacement(file: file, problem: "fieldPath `\(sourceFieldPath)` is missing for replacement source \(sourceResource.id.shortDescription)")
        }
        if let delimiter = sourceOptions.delimiter {
            guard let text = value.scalar else {
                throw KustomizeError.replacement(file: file, problem: "delimiter option can only be used with scalar nodes")
            }
            let parts = text.components(separatedBy: delimiter)
            guard parts.indices.contains(sourceOptions.index) else {
                throw KustomizeError.replacement(file: file, problem: "options.index \(sourceOptions.index) is out of bounds for value \(text)")
            }
            value = YAMLNode(string: parts[sourceOptions.index])
        }
        for target in targets {
            for i in resources.indices where target.select.selects(resources[i])
                && !target.reject.contains(where: { $0.selects(resources[i]) }) {
                for path in target.fieldPaths {
                    let count: Int
                    do {
                        count = try FieldPath(path).update(&resources[i].node, create: target.options.create) { old in
                            try Self.newValue(old, value, options: target.options, file: file)
                        }
                    } catch let failure as FieldPath.Failure {
                        throw KustomizeError.replacement(file: file, problem: "unable to find or create field \"\(path)\" in replacement target \(resources[i].id.shortDescription): \(failure.problem)")
                    }
                    if count == 0 {
                        let verb = target.options.create ? "find or create" : "find"
                        throw KustomizeError.replacement(file: file, problem: "unable to \(verb) field \"\(path)\" in replacement target \(resources[i].id.shortDescription)")
                    }
                }
            }
        }
    }

    /// kustomize's setFieldValue: a scalar target keeps its type and takes only the text (a
    /// string stays a string, a number takes the text as a number); anything else is
    /// replaced by the source node.
    private static func newValue(_ old: YAMLNode, _ source: YAMLNode, options: Options, file: String) throws -> YAMLNode {
        var value = source
        if let delimiter = options.delimiter {
            guard case .scalar(let text) = old.content, let new = source.scalar else {
                throw KustomizeError.replacement(file: file, problem: "delimiter option can only be used with scalar nodes")
            }
            var parts = text.components(separatedBy: delimiter)
            let index = options.index
            if index < 0 { parts.insert(new, at: 0) } else if index >= parts.count { parts.append(new) } else { parts[index] = new }
            value = YAMLNode(string: parts.joined(separator: delimiter))
        }
        guard case .scalar = old.content, case .scalar(let text) = value.content else { return value }
        if case .string = old.resolved(), !old.isNullScalar { return YAMLNode(string: text) }
        return YAMLNode(scalar: text)
    }
}
