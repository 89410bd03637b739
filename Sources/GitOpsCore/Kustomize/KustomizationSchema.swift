/// The keys kustomize's strict decoding accepts inside kustomization fields: an unknown key
/// anywhere in them fails the build with `json: unknown field "…"`, as kustomize's does.
indirect enum KustomizationSchema: Sendable {
    /// A mapping with these keys (each with its own schema).
    case object([String: KustomizationSchema])
    /// A list whose items follow the schema.
    case list(KustomizationSchema)
    /// Anything (scalars, free-form maps such as label pairs).
    case any

    static let selector = object(["group": .any, "version": .any, "kind": .any, "name": .any, "namespace": .any,
                                  "labelSelector": .any, "annotationSelector": .any])
    static let patch = object(["path": .any, "patch": .any, "target": selector,
                               "options": object(["allowNameChange": .any, "allowKindChange": .any])])
    static let generatorOptions = object(["labels": .any, "annotations": .any, "disableNameSuffixHash": .any,
                                          "immutable": .any])
    static func generator(secret: Bool) -> KustomizationSchema {
        var keys: [String: KustomizationSchema] = ["name": .any, "namespace": .any, "behavior": .any, "literals": .any,
                                                   "files": .any, "envs": .any, "env": .any, "options": generatorOptions]
        if secret { keys["type"] = .any }
        return object(keys)
    }
    static let fieldSpec = object(["group": .any, "version": .any, "kind": .any, "path": .any, "create": .any])
    static let replacementOptions = object(["delimiter": .any, "index": .any, "create": .any])
    static let replacement = object([
        "path": .any,
        "source": object(["group": .any, "version": .any, "kind": .any, "name": .any, "namespace": .any,
                          "fieldPath": .any, "options": replacementOptions]),
        "targets": list(object(["select": selector, "reject": list(selector), "fieldPaths": .any,
                                "options": replacementOptions])),
    ])

    /// Schemas of the top-level fields that have nested structure.
    static let fields: [String: KustomizationSchema] = [
        "patches": list(patch),
        "patchesJson6902": list(patch),
        "images": list(object(["name": .any, "newName": .any, "newTag": .any, "digest": .any, "tagSuffix": .any])),
        "imageTags": list(object(["name": .any, "newName": .any, "newTag": .any, "digest": .any, "tagSuffix": .any])),
        "replicas": list(object(["name": .any, "count": .any])),
        "configMapGenerator": list(generator(secret: false)),
        "secretGenerator": list(generator(secret: true)),
        "generatorOptions": generatorOptions,
        "labels": list(object(["pairs": .any, "includeSelectors": .any, "includeTemplates": .any,
                               "fields": list(fieldSpec)])),
        "replacements": list(replacement),
        "sortOptions": object(["order": .any,
                               "legacySortOptions": object(["orderFirst": .any, "orderLast": .any])]),
    ]

    /// The first key the schema does not allow, depth first.
    func unknownKey(in node: YAMLNode) -> String? {
        switch self {
        case .any:
            return nil
        case .list(let item):
            guard node.isSequence else { return nil }
            for element in node.items { if let key = item.unknownKey(in: element) { return key } }
            return nil
        case .object(let keys):
            guard node.isMapping else { return nil }
            for pair in node.entries {
                guard let key = pair.key.scalar else { continue }
                guard let schema = keys[key] else { return key }
                if let nested = schema.unknownKey(in: pair.value) { return nested }
            }
            return nil
        }
    }
}
