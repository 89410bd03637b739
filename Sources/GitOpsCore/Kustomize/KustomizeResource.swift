/// One object in a build: its YAML, where it came from, the names it had before prefixes,
/// suffixes and hashes (name references are fixed against them), and generator options.
struct KustomizeResource: Sendable {
    var node: YAMLNode
    /// The file (or generator's kustomization) it came from, for messages.
    var origin: String
    /// Names this object had earlier in the build, oldest first (kustomize's previousNames).
    var previousIDs: [ResourceID] = []
    /// The name prefixes and suffixes layers gave it, outermost last (kustomize's
    /// `config.kubernetes.io/prefixes` and `suffixes` build annotations): name references
    /// prefer a target renamed the same way as the referrer.
    var namePrefixes: [String] = []
    var nameSuffixes: [String] = []
    var generator: GeneratorInfo?
    /// The builtin transformers that ran over it, in order (kustomize's transformerAnnotations).
    var transformations: [Transformation] = []

    struct Transformation: Sendable {
        /// The kustomization file that configured it.
        var file: String
        var kind: String
    }
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

    /// kustomize's namespace transformer stores every object's id before it runs, moved or
    /// not, so an object of a layer with `namespace:` counts as renamed for name references.
    mutating func recordID() {
        previousIDs.append(id)
    }

    mutating func setNamespace(_ namespace: String) {
        guard namespace != self.namespace else { return }
        setMetadata("namespace", YAMLNode(string: namespace))
    }

    /// kustomize rewrites annotations after removing its internal ones: an empty or null
    /// `annotations` field disappears, and every value becomes a string of its text
    /// (`1` → `"1"`, `null` → `"null"`).
    mutating func rewriteAnnotations() {
        guard let annotations = node["metadata"]?["annotations"] else { return }
        var metadata = node["metadata"] ?? YAMLNode(mapping: [])
        if annotations.isNullScalar || (annotations.isMapping && annotations.entries.isEmpty) {
            metadata.removeValue(forKey: "annotations")
        } else if annotations.isMapping {
            guard annotations.entries.contains(where: { $0.value.resolvedIsNotString }) else { return }
            metadata["annotations"] = YAMLNode(mapping: annotations.entries.map { pair in
                guard pair.value.resolvedIsNotString, let text = pair.value.scalar else { return pair }
                return YAMLPair(key: pair.key, value: YAMLNode(string: text))
            })
        } else {
            return
        }
        node["metadata"] = metadata
    }

    mutating func setMetadata(_ key: String, _ value: YAMLNode) {
        var metadata = node["metadata"] ?? YAMLNode(mapping: [])
        metadata[key] = value
        node["metadata"] = metadata
    }
}

extension YAMLNode {
    /// A scalar that does not read as a string (`1`, `true`, `null`).
    var resolvedIsNotString: Bool {
        guard case .scalar = content else { return false }
        if case .string = resolved() { return false }
        return true
    }
}

/// What a generator entry does with an object of the same name from a base.
enum GeneratorBehavior: String, Sendable {
    case create, merge, replace
}

