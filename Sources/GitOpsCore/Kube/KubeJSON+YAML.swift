extension KubeJSON {
    /// A manifest read with the YAML layer, as the API server would decode it (sigs.k8s.io/yaml
    /// resolves scalars the go-yaml way, then sends JSON): key order kept, integers exact.
    /// Timestamps keep their text, which is what the API stores for string fields.
    public init(yaml node: YAMLNode) {
        switch node.content {
        case .mapping(let pairs):
            self = .object(pairs.map { ($0.key.scalar ?? "", KubeJSON(yaml: $0.value)) })
        case .sequence(let items):
            self = .array(items.map(KubeJSON.init(yaml:)))
        case .scalar(let text):
            switch node.resolved() {
            case .null: self = .null
            case .bool(let value): self = .bool(value)
            case .int(let value): self = .number(String(value))
            case .unsignedInt(let value): self = .number(String(value))
            case .float(let value):
                guard value.isFinite else { self = .string(text); return }
                self = .number(JSONEmitter.number(text, value))
            case .timestamp, .string: self = .string(text)
            }
        }
    }
}

extension KubeObject {
    /// Every object of a multi-document manifest stream (empty documents skipped).
    public static func objects(fromYAML text: String, file: String = "<memory>") throws -> [KubeObject] {
        try YAMLStream(yaml: text, file: file).documents.compactMap { document in
            guard let root = document.root, root.isMapping else { return nil }
            return KubeObject(KubeJSON(yaml: root))
        }
    }
}
