/// Reads the objects of one resource file: every non-empty document, the `items` of any kind
/// ending in `List` expanded (queued after the file's other documents, as kustomize's
/// resource factory does), each checked for `kind` and `metadata.name` as kustomize requires.
enum ResourceFile {
    static func load(_ path: String, loader: FileLoader) throws -> [KustomizeResource] {
        let stream = try loader.parse(path)
        var out: [KustomizeResource] = []
        var queue = stream.documents.compactMap(\.root)[...]
        while let root = queue.popFirst() {
            if root.isNullScalar { continue }
            guard root.isMapping else {
                throw KustomizeError.invalidResource(file: path, problem: "\(position(root))a resource must be a mapping")
            }
            if root["kind"]?.scalar?.hasSuffix("List") == true, let items = root["items"] {
                if items.isNullScalar { continue }
                guard items.isSequence else {
                    throw KustomizeError.invalidResource(file: path, problem: "\(position(items))expected array in \(root["kind"]?.scalar ?? "")/items")
                }
                queue.append(contentsOf: items.items)
                continue
            }
            out.append(try checked(MergeKeys.expand(root), path))
        }
        return out
    }

    private static func checked(_ node: YAMLNode, _ path: String) throws -> KustomizeResource {
        guard let kind = node["kind"]?.scalar, !kind.isEmpty else {
            throw KustomizeError.invalidResource(file: path, problem: "\(position(node))missing Resource metadata: kind not set")
        }
        guard let name = node["metadata"]?["name"]?.scalar, !name.isEmpty else {
            throw KustomizeError.invalidResource(file: path, problem: "\(position(node))missing metadata.name in object {\(node["apiVersion"]?.scalar ?? "") \(kind)}")
        }
        return KustomizeResource(node: node, origin: path)
    }

    private static func position(_ node: YAMLNode) -> String {
        node.source.start.map { "\($0): " } ?? ""
    }
}
