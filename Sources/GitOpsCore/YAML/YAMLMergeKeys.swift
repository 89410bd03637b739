extension YAMLNode {
    /// The tree with YAML 1.1 merge keys applied, as Kubernetes' sigs.k8s.io/yaml (go-yaml v2)
    /// reads them: `<<: *base` (or a sequence of mappings) contributes the entries the mapping
    /// does not set itself; earlier mappings in a merge sequence win. go-yaml v3 as sops uses it
    /// keeps `<<` as an ordinary key, which is what parsing gives; call this for the `.yaml11` view.
    public func resolvingMergeKeys() -> YAMLNode {
        var node = self
        switch content {
        case .scalar:
            return self
        case let .sequence(items):
            node.content = .sequence(items.map { $0.resolvingMergeKeys() })
            return node
        case let .mapping(pairs):
            var own: [YAMLPair] = []
            var merged: [YAMLPair] = []
            for pair in pairs {
                let value = pair.value.resolvingMergeKeys()
                guard pair.key.isMergeKey else {
                    own.append(YAMLPair(key: pair.key, value: value))
                    continue
                }
                let sources = value.isSequence ? value.items : [value]
                for source in sources {
                    for entry in source.entries where !merged.contains(where: { $0.key == entry.key }) {
                        merged.append(entry)
                    }
                }
            }
            let inherited = merged.filter { entry in !own.contains { $0.key == entry.key } }
            node.content = .mapping(inherited + own)
            return node
        }
    }

    /// A plain `<<` key (or one tagged `!!merge`).
    var isMergeKey: Bool {
        guard scalar == "<<" else { return false }
        return (style == .plain && tag == nil) || tag == YAMLTag.merge
    }
}
