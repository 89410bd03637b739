/// A `configurations` file: extra field specs for kustomize's builtin transformers. Only
/// `nameReference` is read; it teaches name-reference fixing about custom kinds
/// (e.g. a HelmRelease's `spec/valuesFrom/name` naming a generated ConfigMap).
enum TransformerConfiguration {
    static func nameReferenceRules(in path: String, loader: FileLoader) throws -> [NameReferences.Rule] {
        let stream = try loader.parse(path)
        var rules: [NameReferences.Rule] = []
        for document in stream.documents {
            for reference in document.root?["nameReference"]?.items ?? [] {
                guard reference["kind"]?.scalar != nil else { continue }
                for spec in reference["fieldSpecs"]?.items ?? [] {
                    guard let fieldPath = spec["path"]?.scalar else { continue }
                    rules.append(NameReferences.Rule(referenced: selector(reference), referrer: selector(spec),
                                                     path: fieldPath))
                }
            }
        }
        return rules
    }

    private static func selector(_ node: YAMLNode) -> NameReferenceTable.Selector {
        NameReferenceTable.Selector(group: node["group"]?.scalar ?? "", version: node["version"]?.scalar ?? "",
                                    kind: node["kind"]?.scalar ?? "")
    }
}
