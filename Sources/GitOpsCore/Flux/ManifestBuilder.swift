/// What a Flux Kustomization layers onto the kustomization it builds (kustomize-controller's
/// generator: `namespace` ← targetNamespace, prefix/suffix override, patches, images and
/// components appended).
public struct FluxKustomizeOverlay: Sendable {
    public var targetNamespace: String?
    public var namePrefix: String?
    public var nameSuffix: String?
    public var patches: [YAMLNode]
    public var images: [YAMLNode]
    public var components: [String]
    public var ignoreMissingComponents: Bool

    public init(targetNamespace: String? = nil, namePrefix: String? = nil, nameSuffix: String? = nil,
                patches: [YAMLNode] = [], images: [YAMLNode] = [], components: [String] = [],
                ignoreMissingComponents: Bool = false) {
        self.targetNamespace = targetNamespace
        self.namePrefix = namePrefix
        self.nameSuffix = nameSuffix
        self.patches = patches
        self.images = images
        self.components = components
        self.ignoreMissingComponents = ignoreMissingComponents
    }

    public var isEmpty: Bool {
        targetNamespace == nil && namePrefix == nil && nameSuffix == nil && patches.isEmpty && images.isEmpty
            && components.isEmpty
    }
}

/// What a build may reuse or must apply beyond the directory: the checkout's files parsed
/// once up front, and the filter that decrypts SOPS-encrypted generator sources.
public struct ManifestBuildContext: Sendable {
    /// Parsed YAML files by absolute path.
    public var parsedFiles: [String: YAMLStream]
    public var sourceFilter: (any KustomizeSourceFilter)?

    public init(parsedFiles: [String: YAMLStream] = [:], sourceFilter: (any KustomizeSourceFilter)? = nil) {
        self.parsedFiles = parsedFiles
        self.sourceFilter = sourceFilter
    }
}

/// Builds one directory of the checkout into the objects kustomize would print, generating a
/// kustomization the way kustomize-controller does when the directory has none. The kustomize
/// engine implements this; the Flux model only depends on the protocol.
public protocol ManifestBuilder: Sendable {
    /// `directory` is absolute and inside `repositoryRoot`.
    func build(directory: String, repositoryRoot: String, overlay: FluxKustomizeOverlay,
               context: ManifestBuildContext) throws -> [YAMLNode]
}
