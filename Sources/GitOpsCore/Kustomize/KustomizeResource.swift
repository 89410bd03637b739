/// One object in a build: its YAML, where it came from, the names it had before prefixes,
/// suffixes and hashes (name references are fixed against them), and generator options.
struct KustomizeResource: Sendable {
    var node: YAMLNode
    /// The file (or generator's kustomization) it came from, for messages.
    var origin: String
    /// Names this object had earlier in the build, oldest first (kustomize's previousNames).
    var previousIDs: [ResourceID] = []
    var generator: GeneratorInfo?
    /// For generated objects: `ConfigMapGenerator` or `SecretGenerator` (origin annotations).
    var generatedBy: String?

    /// How a generated ConfigMap or Secret is treated later in the build.
    struct GeneratorInfo: Sendable {
        var behavior: GeneratorBehavior
        var appendHash: Bool
    }

    init(node: YAMLNode, origin: String) {
        self.node = node
        self.origin = origin
    }

    var kind: String { node["kind"]?.scalar ?? "" }
    var apiVersion: String { node["apiVersion"]?.scalar ?? "" }
    var name: String { node["metadata"]?["name"]?.scalar ?? "" }
    var namespace: String { node["metadata"]?["namespace"]?.scalar ?? "" }
    var gvk: GroupVersionKind {
        // Asked for on every id comparison of a build: split `group/version` without the
        // intermediate arrays `GroupVersionKind(apiVersion:kind:)` allocates.
        let apiVersion = apiVersion
        guard let slash = apiVersion.firstIndex(of: "/"), slash != apiVersion.startIndex,
              apiVersion.index(after: slash) != apiVersion.endIndex else {
            return GroupVersionKind(apiVersion: apiVersion, kind: kind)
        }
        return GroupVersionKind(group: String(apiVersion[..<slash]),
                                version: String(apiVersion[apiVersion.index(after: slash)...]), kind: kind)
    }
    var id: ResourceID { ResourceID(gvk: gvk, name: name, namespace: namespace) }
    /// The id it was first loaded or generated with.
    var originalID: ResourceID { previousIDs.first ?? id }

    func matches(anyID other: ResourceID) -> Bool {
        if id.sameObject(as: other) { return true }
        return previousIDs.contains { $0.sameObject(as: other) }
    }

    func label(_ key: String) -> String? { node["metadata"]?["labels"]?[key]?.scalar }
    var labels: [String: String] { stringMap(node["metadata"]?["labels"]) }
    var annotations: [String: String] { stringMap(node["metadata"]?["annotations"]) }

    private func stringMap(_ node: YAMLNode?) -> [String: String] {
        var out: [String: String] = [:]
        for pair in node?.entries ?? [] {
            if let k = pair.key.scalar { out[k] = pair.value.scalar ?? "" }
        }
        return out
    }

    /// Renames the object, remembering the old id for name references and later patches.
    mutating func rename(to newName: String) {
        let old = id
        guard newName != old.name else { return }
        if previousIDs.isEmpty || previousIDs.last != old { previousIDs.append(old) }
        setMetadata("name", YAMLNode(string: newName))
    }

    mutating func setNamespace(_ namespace: String) {
        let old = id
        guard namespace != old.namespace else { return }
        if previousIDs.isEmpty || previousIDs.last != old { previousIDs.append(old) }
        setMetadata("namespace", YAMLNode(string: namespace))
    }

    /// kustomize rewrites annotations after removing its internal ones, and an empty or null
    /// `annotations` field disappears in the process.
    mutating func dropEmptyAnnotations() {
        guard let annotations = node["metadata"]?["annotations"],
              annotations.isNullScalar || (annotations.isMapping && annotations.entries.isEmpty) else { return }
        var metadata = node["metadata"] ?? YAMLNode(mapping: [])
        metadata.removeValue(forKey: "annotations")
        node["metadata"] = metadata
    }

    mutating func setMetadata(_ key: String, _ value: YAMLNode) {
        var metadata = node["metadata"] ?? YAMLNode(mapping: [])
        metadata[key] = value
        node["metadata"] = metadata
    }
}

/// What a generator entry does with an object of the same name from a base.
enum GeneratorBehavior: String, Sendable {
    case create, merge, replace
}

