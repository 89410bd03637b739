/// A Flux `HelmRelease` (`helm.toolkit.fluxcd.io/v2`, v2beta2 and v2beta1 read) with the
/// defaults helm-controller applies.
public struct FluxHelmRelease: Sendable {
    /// `valuesFrom` entry.
    public struct ValuesReference: Sendable {
        public var kind: String
        public var name: String
        public var valuesKey: String
        public var optional: Bool
        public var at: YAMLMark?
    }

    /// The chart: from `spec.chart.spec` (a HelmChart template) or `spec.chartRef`.
    public struct Chart: Sendable {
        /// Chart name (empty for a `chartRef`).
        public var name: String
        /// Version constraint; `*` when unset.
        public var version: String
        public var source: FluxKustomization.Reference
    }

    public var key: FluxObjectKey
    public var origin: FluxOrigin
    public var node: YAMLNode
    public var chart: Chart
    public var dependsOn: [FluxKustomization.Reference]
    public var valuesFrom: [ValuesReference]
    public var interval: FluxDuration
    public var suspend: Bool
    public var releaseName: String
    public var targetNamespace: String

    static let apiVersions = ["helm.toolkit.fluxcd.io/v2", "helm.toolkit.fluxcd.io/v2beta2",
                              "helm.toolkit.fluxcd.io/v2beta1"]

    public init(node: YAMLNode, origin: FluxOrigin, defaultNamespace: String = "flux-system") throws(FluxError) {
        let namespace = node["metadata"]?["namespace"]?.scalar ?? defaultNamespace
        key = FluxObjectKey(kind: "HelmRelease", namespace: namespace, name: node["metadata"]?["name"]?.scalar ?? "")
        self.origin = origin
        self.node = node
        let r = FluxFieldReader(node: node, origin: origin, object: key.description)
        interval = try r.header(apiVersions: Self.apiVersions)
        suspend = try r.bool("spec.suspend") ?? false
        targetNamespace = try r.string("spec.targetNamespace") ?? namespace
        // helm-controller: `<targetNamespace>-<name>` only when targetNamespace is set explicitly.
        let explicitTarget = try r.string("spec.targetNamespace")
        let name = key.name
        releaseName = try r.string("spec.releaseName") ?? (explicitTarget.map { "\($0)-\(name)" } ?? name)
        chart = try Self.chart(r, namespace: namespace)
        var dependencies: [FluxKustomization.Reference] = []
        for (index, item) in try r.sequence("spec.dependsOn").enumerated() {
            let (reader, path) = r.item(item, of: "spec.dependsOn", index: index)
            do {
                dependencies.append(.init(kind: "HelmRelease", namespace: try reader.string("namespace") ?? namespace,
                                          name: try reader.requiredString("name"), at: item.source.start))
            } catch let error { throw error.prefixingField(path) }
        }
        dependsOn = dependencies
        var values: [ValuesReference] = []
        for (index, item) in try r.sequence("spec.valuesFrom").enumerated() {
            let (reader, path) = r.item(item, of: "spec.valuesFrom", index: index)
            do {
                values.append(ValuesReference(kind: try reader.kind("kind", allowed: ["ConfigMap", "Secret"]),
                                              name: try reader.requiredString("name"),
                                              valuesKey: try reader.string("valuesKey") ?? "values.yaml",
                                              optional: try reader.bool("optional") ?? false, at: item.source.start))
            } catch let error { throw error.prefixingField(path) }
        }
        valuesFrom = values
    }

    private static func chart(_ r: FluxFieldReader, namespace: String) throws(FluxError) -> Chart {
        let hasTemplate = r.node("spec.chart") != nil
        let hasRef = r.node("spec.chartRef") != nil
        // The CRD's CEL rule: exactly one of chart and chartRef.
        guard hasTemplate != hasRef else {
            throw r.error("spec.chart", hasTemplate ? "chart and chartRef are mutually exclusive"
                                                    : "either chart or chartRef must be set",
                          at: r.node("spec") ?? r.node)
        }
        if hasRef {
            let kind = try r.kind("spec.chartRef.kind", allowed: ["OCIRepository", "HelmChart", "ExternalArtifact"])
            return Chart(name: "", version: "",
                         source: .init(kind: kind, namespace: try r.string("spec.chartRef.namespace") ?? namespace,
                                       name: try r.requiredString("spec.chartRef.name"),
                                       at: r.node("spec.chartRef")?.source.start))
        }
        let kind = try r.kind("spec.chart.spec.sourceRef.kind", allowed: ["HelmRepository", "GitRepository", "Bucket"])
        return Chart(name: try r.requiredString("spec.chart.spec.chart"),
                     version: try r.string("spec.chart.spec.version") ?? "*",
                     source: .init(kind: kind,
                                   namespace: try r.string("spec.chart.spec.sourceRef.namespace") ?? namespace,
                                   name: try r.requiredString("spec.chart.spec.sourceRef.name"),
                                   at: r.node("spec.chart.spec.sourceRef")?.source.start))
    }
}
