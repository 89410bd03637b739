extension FluxRepo {
    /// A HelmRelease's chart as far as the checkout tells it. `spec.chart` names it directly;
    /// a `chartRef` does not, so it is read from the referenced source when the repository has
    /// it: an OCIRepository's chart is the last segment of its URL at its `spec.ref` (digest,
    /// then semver, then tag, as source-controller picks them; `latest` when none is set), a
    /// HelmChart's its `spec.chart` at `spec.version` (`*` by default). Otherwise the name and
    /// version stay empty.
    public func chart(of release: FluxHelmRelease) -> FluxHelmRelease.Chart {
        var chart = release.chart
        guard chart.name.isEmpty, let source = sources.first(where: { $0.key == chart.source.key }) else { return chart }
        switch source.key.kind {
        case "OCIRepository":
            let path = source.url.split(separator: "/", omittingEmptySubsequences: true)
            guard path.count > 1, let last = path.last else { return chart }
            let ref = source.node["spec"]?["ref"]
            chart.name = String(last)
            chart.version = ref?["digest"]?.scalar ?? ref?["semver"]?.scalar ?? ref?["tag"]?.scalar ?? "latest"
        case "HelmChart":
            guard let name = source.node["spec"]?["chart"]?.scalar else { return chart }
            chart.name = name
            chart.version = source.node["spec"]?["version"]?.scalar ?? "*"
        default:
            break
        }
        return chart
    }
}
