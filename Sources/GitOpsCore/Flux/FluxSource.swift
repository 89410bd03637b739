/// A Flux source object: `GitRepository`, `OCIRepository`, `HelmRepository`, `Bucket`,
/// `HelmChart` (`source.toolkit.fluxcd.io/v1`, v1beta2 read), `ExternalArtifact`.
public struct FluxSource: Sendable {
    public var key: FluxObjectKey
    public var origin: FluxOrigin
    public var node: YAMLNode
    /// `spec.url` (empty for HelmChart and ExternalArtifact).
    public var url: String
    public var suspend: Bool

    static let kinds: Set<String> = ["GitRepository", "OCIRepository", "HelmRepository", "Bucket", "HelmChart",
                                     "ExternalArtifact"]
    static let kindsWithURL: Set<String> = ["GitRepository", "OCIRepository", "HelmRepository"]

    public init(node: YAMLNode, origin: FluxOrigin, defaultNamespace: String = "flux-system") throws(FluxError) {
        let kind = node["kind"]?.scalar ?? ""
        let namespace = node["metadata"]?["namespace"]?.scalar ?? defaultNamespace
        key = FluxObjectKey(kind: kind, namespace: namespace, name: node["metadata"]?["name"]?.scalar ?? "")
        self.origin = origin
        self.node = node
        let r = FluxFieldReader(node: node, origin: origin, object: key.description)
        let apiVersion = try r.requiredString("apiVersion")
        let version = apiVersion.split(separator: "/").last.map(String.init) ?? ""
        guard ["v1", "v1beta2"].contains(version) || kind == "ExternalArtifact" else {
            throw r.error("apiVersion", "unsupported apiVersion \"\(apiVersion)\", expected source.toolkit.fluxcd.io/v1",
                          at: r.node("apiVersion"))
        }
        _ = try r.requiredString("metadata.name")
        url = Self.kindsWithURL.contains(kind) ? try r.requiredString("spec.url") : (try r.string("spec.url") ?? "")
        suspend = try r.bool("spec.suspend") ?? false
    }
}
