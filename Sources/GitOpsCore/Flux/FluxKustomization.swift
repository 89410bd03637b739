/// A Flux `Kustomization` (`kustomize.toolkit.fluxcd.io/v1`, v1beta2 read) with the defaults
/// kustomize-controller applies. The decoded node is kept whole, so unknown fields survive.
public struct FluxKustomization: Sendable {
    /// A `dependsOn` entry or a `sourceRef`, namespace already defaulted to the Kustomization's.
    public struct Reference: Sendable, Hashable {
        public var kind: String
        public var namespace: String
        public var name: String
        /// Where the reference was written.
        public var at: YAMLMark?

        public var key: FluxObjectKey { FluxObjectKey(kind: kind, namespace: namespace, name: name) }
    }

    /// `spec.postBuild`.
    public struct PostBuild: Sendable {
        public enum Strategy: String, Sendable { case withVariables = "WithVariables", always = "Always" }
        public struct SubstituteFrom: Sendable {
            public var kind: String
            public var name: String
            public var optional: Bool
            public var at: YAMLMark?
        }
        public var substitute: [(key: String, value: String)]
        public var substituteFrom: [SubstituteFrom]
        public var strategy: Strategy
    }

    public var key: FluxObjectKey
    public var origin: FluxOrigin
    public var node: YAMLNode
    public var sourceRef: Reference
    /// `spec.path` as written (`""` is the artifact root).
    public var path: String
    public var interval: FluxDuration
    public var retryInterval: FluxDuration
    public var timeout: FluxDuration
    public var prune: Bool
    public var wait: Bool
    public var suspend: Bool
    public var dependsOn: [Reference]
    /// targetNamespace, namePrefix/nameSuffix, patches, images, components: what the
    /// controller layers onto the directory's kustomization.
    public var overlay: FluxKustomizeOverlay
    public var targetNamespace: String? { overlay.targetNamespace }
    public var postBuild: PostBuild?
    /// `spec.decryption.provider: sops`: the controller decrypts SOPS documents of this build.
    public var decrypts: Bool
    public var commonLabels: [(key: String, value: String)]
    public var commonAnnotations: [(key: String, value: String)]
    /// Set when the Kustomization applies to another cluster (`spec.kubeConfig`).
    public var remoteCluster: Bool

    static let sourceKinds = ["OCIRepository", "GitRepository", "Bucket", "ExternalArtifact"]
    static let apiVersions = ["kustomize.toolkit.fluxcd.io/v1", "kustomize.toolkit.fluxcd.io/v1beta2"]

    /// Decodes and defaults `node` (a `Kustomization` of the toolkit group).
    public init(node: YAMLNode, origin: FluxOrigin, defaultNamespace: String = "flux-system") throws(FluxError) {
        let name = node["metadata"]?["name"]?.scalar ?? ""
        let namespace = node["metadata"]?["namespace"]?.scalar ?? defaultNamespace
        key = FluxObjectKey(kind: "Kustomization", namespace: namespace, name: name)
        self.origin = origin
        self.node = node
        let r = FluxFieldReader(node: node, origin: origin, object: key.description)
        let interval = try r.header(apiVersions: Self.apiVersions)
        let source = try r.kind("spec.sourceRef.kind", allowed: Self.sourceKinds)
        sourceRef = Reference(kind: source, namespace: try r.string("spec.sourceRef.namespace") ?? namespace,
                              name: try r.requiredString("spec.sourceRef.name"),
                              at: r.node("spec.sourceRef")?.source.start)
        path = try r.string("spec.path") ?? ""
        self.interval = interval
        retryInterval = try r.duration("spec.retryInterval") ?? interval
        // kustomize-controller: no timeout means the interval minus 30s, never under 30s.
        timeout = try r.duration("spec.timeout")
            ?? FluxDuration(milliseconds: max(30_000, interval.milliseconds - 30_000))
        guard let prune = try r.bool("spec.prune") else {
            throw r.error("spec.prune", "required field is missing", at: r.nearest("spec.prune"))
        }
        self.prune = prune
        wait = try r.bool("spec.wait") ?? false
        suspend = try r.bool("spec.suspend") ?? false
        var dependencies: [Reference] = []
        for (index, item) in try r.sequence("spec.dependsOn").enumerated() {
            let (reader, path) = r.item(item, of: "spec.dependsOn", index: index)
            do {
                dependencies.append(Reference(kind: "Kustomization",
                                              namespace: try reader.string("namespace") ?? namespace,
                                              name: try reader.requiredString("name"), at: item.source.start))
            } catch let error {
                throw error.prefixingField(path)
            }
        }
        dependsOn = dependencies
        overlay = FluxKustomizeOverlay(targetNamespace: try r.string("spec.targetNamespace"),
                                       namePrefix: try r.string("spec.namePrefix"),
                                       nameSuffix: try r.string("spec.nameSuffix"),
                                       patches: try r.sequence("spec.patches"), images: try r.sequence("spec.images"),
                                       components: try r.sequence("spec.components").compactMap(\.scalar),
                                       ignoreMissingComponents: try r.bool("spec.ignoreMissingComponents") ?? false)
        postBuild = try Self.postBuild(r)
        decrypts = try r.string("spec.decryption.provider") == "sops"
        commonLabels = try r.stringMap("spec.commonMetadata.labels")
        commonAnnotations = try r.stringMap("spec.commonMetadata.annotations")
        remoteCluster = r.node("spec.kubeConfig") != nil
    }

    private static func postBuild(_ r: FluxFieldReader) throws(FluxError) -> PostBuild? {
        guard r.node("spec.postBuild") != nil else { return nil }
        var from: [PostBuild.SubstituteFrom] = []
        for (index, item) in try r.sequence("spec.postBuild.substituteFrom").enumerated() {
            let (reader, path) = r.item(item, of: "spec.postBuild.substituteFrom", index: index)
            do {
                from.append(PostBuild.SubstituteFrom(kind: try reader.kind("kind", allowed: ["ConfigMap", "Secret"]),
                                                     name: try reader.requiredString("name"),
                                                     optional: try reader.bool("optional") ?? false,
                                                     at: item.source.start))
            } catch let error {
                throw error.prefixingField(path)
            }
        }
        let strategyText = try r.string("spec.postBuild.substituteStrategy") ?? "WithVariables"
        guard let strategy = PostBuild.Strategy(rawValue: strategyText) else {
            throw r.error("spec.postBuild.substituteStrategy", "expected WithVariables or Always",
                          at: r.node("spec.postBuild.substituteStrategy"))
        }
        return PostBuild(substitute: try r.stringMap("spec.postBuild.substitute"), substituteFrom: from,
                         strategy: strategy)
    }
}

extension FluxError {
    /// The same error with its field named relative to a list item (`spec.dependsOn[1].name`).
    func prefixingField(_ prefix: String) -> FluxError {
        guard case let .invalidField(file, at, object, field, problem) = self else { return self }
        return .invalidField(file: file, at: at, object: object, field: "\(prefix).\(field)", problem: problem)
    }
}
