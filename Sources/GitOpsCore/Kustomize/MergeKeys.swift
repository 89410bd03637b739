/// YAML merge keys (`<<: *base`) expanded the way go-yaml decodes them: keys written in the
/// mapping win over merged ones, and among several merged maps the earlier one wins.
enum MergeKeys {
    static func expand(_ node: YAMLNode) -> YAMLNode {
        switch node.content {
        case .scalar:
            return node
        case .sequence(let items):
            var out = node
            out.content = .sequence(items.map(expand))
            return out
        case .mapping(let pairs):
            var out = node
            guard pairs.contains(where: isMergeKey) else {
                out.content = .mapping(pairs.map { YAMLPair(key: $0.key, value: expand($0.value)) })
                return out
            }
            var result: [YAMLPair] = []
            var seen = Set<String>()
            for pair in pairs where !isMergeKey(pair) {
                result.append(YAMLPair(key: pair.key, value: expand(pair.value)))
                seen.insert(pair.key.scalar ?? "")
            }
            for pair in pairs where isMergeKey(pair) {
                let sources = pair.value.isSequence ? pair.value.items : [pair.value]
                for source in sources {
                    for merged in expand(source).entries where seen.insert(merged.key.scalar ?? "").inserted {
                        result.append(merged)
                    }
                }
            }
            out.content = .mapping(result)
            return out
        }
    }

    private static func isMergeKey(_ pair: YAMLPair) -> Bool {
        pair.key.scalar == "<<" && pair.key.style == .plain && (pair.key.tag == nil || pair.key.tag == YAMLTag.merge)
    }
}
