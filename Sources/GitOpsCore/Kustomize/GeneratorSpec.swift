/// `generatorOptions`, or an entry's own `options`.
struct GeneratorOptions: Sendable {
    var labels: [(String, String)] = []
    var annotations: [(String, String)] = []
    var disableNameSuffixHash: Bool?
    var immutable: Bool?

    init() {}

    init(node: YAMLNode) {
        labels = node["labels"]?.entries.map { ($0.key.scalar ?? "", $0.value.scalar ?? "") } ?? []
        annotations = node["annotations"]?.entries.map { ($0.key.scalar ?? "", $0.value.scalar ?? "") } ?? []
        disableNameSuffixHash = node["disableNameSuffixHash"]?.bool()
        immutable = node["immutable"]?.bool()
    }

    /// Entry options over global ones: local labels/annotations win; a `true` anywhere wins
    /// for the booleans (kustomize api/types/generatoroptions.go MergeGlobalOptionsIntoLocal).
    func overriding(_ global: GeneratorOptions?) -> GeneratorOptions {
        guard let global else { return self }
        var merged = GeneratorOptions()
        merged.labels = global.labels.filter { g in !labels.contains { $0.0 == g.0 } } + labels
        merged.annotations = global.annotations.filter { g in !annotations.contains { $0.0 == g.0 } } + annotations
        merged.disableNameSuffixHash = (global.disableNameSuffixHash == true || disableNameSuffixHash == true) ? true : nil
        merged.immutable = (global.immutable == true || immutable == true) ? true : nil
        return merged
    }
}

/// One `configMapGenerator` or `secretGenerator` entry.
struct GeneratorSpec: Sendable {
    enum Kind: Sendable { case configMap, secret }

    var kind: Kind
    var name: String
    var namespace: String?
    var behavior: GeneratorBehavior
    var literals: [String]
    var files: [String]
    var envs: [String]
    var type: String?
    var options: GeneratorOptions

    init(node: YAMLNode, kind: Kind, file: String) throws {
        self.kind = kind
        name = node["name"]?.scalar ?? ""
        namespace = node["namespace"]?.scalar
        let behaviorText = node["behavior"]?.scalar ?? "create"
        guard let behavior = GeneratorBehavior(rawValue: behaviorText.isEmpty ? "create" : behaviorText) else {
            throw KustomizeError.generator(file: file, name: name, problem: "unknown behavior \"\(behaviorText)\"")
        }
        self.behavior = behavior
        literals = node["literals"]?.items.compactMap(\.scalar) ?? []
        files = node["files"]?.items.compactMap(\.scalar) ?? []
        envs = (node["envs"]?.items.compactMap(\.scalar) ?? []) + (node["env"]?.scalar.map { [$0] } ?? [])
        type = node["type"]?.scalar
        options = node["options"].map(GeneratorOptions.init(node:)) ?? GeneratorOptions()
        if name.isEmpty {
            throw KustomizeError.generator(file: file, name: "(unnamed)", problem: "a generator needs a name")
        }
    }
}
