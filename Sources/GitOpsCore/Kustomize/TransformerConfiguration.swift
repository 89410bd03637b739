/// A `configurations` file: extra field specs for kustomize's builtin transformers. Only
/// `nameReference` is read; it teaches name-reference fixing about custom kinds
/// (e.g. a HelmRelease's `spec/valuesFrom/name` naming a generated ConfigMap).
enum TransformerConfiguration {
    static func nameReferenceRules(in path: String, loader: FileLoader) throws -> [NameReferences.Rule] {
        let stream = try loader.parse(path)
        var rules: [NameReferences.Rule] = []
        for document in stream.documents {
            for reference in document.root?["nameReference"]?.items ?? [] {
                guard let kind = reference["kind"]?.scalar else { continue }
                for spec in reference["fieldSpecs"]?.items ?? [] {
                    guard let fieldPath = spec["path"]?.scalar else { continue }
                    let referrer = spec["kind"]?.scalar
                    rules.append(NameReferences.Rule(referencedKind: kind,
                                                     referrerKinds: referrer.map { [$0] },
                                                     path: fieldPath))
                }
            }
        }
        return rules
    }
}
