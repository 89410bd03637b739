/// Reads the objects of one resource file: every non-empty document, `List` items expanded,
/// each checked for `kind` and `metadata.name` as kustomize requires.
enum ResourceFile {
    static func load(_ path: String, loader: FileLoader) throws -> [KustomizeResource] {
        let stream = try loader.parse(path)
        var out: [KustomizeResource] = []
        for document in stream.documents {
            guard let root = document.root, !root.isNullScalar else { continue }
            guard root.isMapping else {
                throw KustomizeError.invalidResource(file: path, problem: "\(position(root))a resource must be a mapping")
            }
            if root["kind"]?.scalar == "List", let items = root["items"]?.items {
                out += try items.map { try checked($0, path) }
            } else {
                out.append(try checked(MergeKeys.expand(root), path))
            }
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
