/// A `crds` entry: an OpenAPI definitions file (JSON or YAML, type name → `{Schema: …}`) whose
/// `x-kubernetes-*` extensions teach the builtin transformers about custom kinds, as
/// kustomize's LoadConfigFromCRDs reads them: label selectors take `commonLabels`,
/// annotation fields take `commonAnnotations`, identity fields take `namePrefix`, and
/// object references (`x-kubernetes-object-ref-kind`/`-api-version`, `-name-key`) are fixed
/// like built-in name references.
struct CRDConfiguration: Sendable {
    var labelSelectors: [FieldSpec] = []
    var annotations: [FieldSpec] = []
    var identities: [FieldSpec] = []
    var nameReferenceRules: [NameReferences.Rule] = []

    mutating func add(_ other: CRDConfiguration) {
        labelSelectors += other.labelSelectors
        annotations += other.annotations
        identities += other.identities
        nameReferenceRules += other.nameReferenceRules
    }

    static func load(_ path: String, loader: FileLoader) throws -> CRDConfiguration {
        var config = CRDConfiguration()
        for document in try loader.parse(path).documents {
            guard let root = document.root, root.isMapping else { continue }
            var definitions: [String: YAMLNode] = [:]
            for pair in root.entries { if let name = pair.key.scalar { definitions[name] = pair.value } }
            for pair in root.entries {
                guard let name = pair.key.scalar, let properties = pair.value["Schema"]?["properties"],
                      ["kind", "apiVersion", "metadata"].allSatisfy({ properties[$0] != nil }) else { continue }
                // The kind is the type name's last dot-separated part.
                let kind = String(name.split(separator: ".").last ?? "")
                config.load(name, kind: kind, definitions: definitions, path: [], depth: 0)
            }
        }
        return config
    }

    private mutating func load(_ typeName: String, kind: String, definitions: [String: YAMLNode], path: [String], depth: Int) {
        // A self-referencing schema would recurse forever; real ones are shallow.
        guard depth < 32, let properties = definitions[typeName]?["Schema"]?["properties"] else { return }
        for pair in properties.entries {
            guard let name = pair.key.scalar else { continue }
            let property = pair.value, fieldPath = path + [name]
            let joined = fieldPath.joined(separator: "/")
            if property["x-kubernetes-annotation"]?.scalar != nil {
                annotations.append(FieldSpec(joined, kind: kind, create: false))
            }
            if property["x-kubernetes-label-selector"]?.scalar != nil {
                labelSelectors.append(FieldSpec(joined, kind: kind, create: false))
            }
            if property["x-kubernetes-identity"]?.scalar != nil {
                identities.append(FieldSpec(joined, kind: kind, create: false))
            }
            if let version = property["x-kubernetes-object-ref-api-version"]?.scalar,
               let referenced = property["x-kubernetes-object-ref-kind"]?.scalar {
                let nameKey = property["x-kubernetes-object-ref-name-key"]?.scalar ?? "name"
                nameReferenceRules.append(NameReferences.Rule(
                    referenced: NameReferenceTable.Selector(version: version, kind: referenced),
                    referrer: NameReferenceTable.Selector(kind: kind), path: joined + "/" + nameKey))
            }
            if let ref = property["$ref"]?.scalar {
                load(ref, kind: kind, definitions: definitions, path: fieldPath, depth: depth + 1)
            }
        }
    }
}
