/// `gitopsctl get ks|hr --local`: the flux get columns computed from the checkout instead of a
/// cluster. REVISION is what Flux would apply (the checkout's `branch@sha1:<short>` for
/// Kustomizations, the chart version for HelmReleases); READY says whether it builds offline.
public struct LocalStatusRow: Sendable, Equatable {
    public var namespace: String
    public var name: String
    public var revision: String
    public var suspended: Bool
    public var ready: String
    public var message: String
}

public enum LocalGet {
    public enum Kind: Sendable { case kustomization, helmRelease }

    public static func rows(_ repo: FluxRepo, kind: Kind, revision: String, namespace: String?,
                            name: String?) throws(FluxError) -> [LocalStatusRow] {
        var rows: [LocalStatusRow] = []
        switch kind {
        case .kustomization:
            for k in repo.kustomizations where matches(k.key, namespace, name) {
                let problem = repo.problems.first { $0.severity == .error && $0.message.contains(k.key.description) }
                let external = repo.external.contains(k.key)
                let message: String
                if let problem { message = problem.message }
                else if external { message = "source \(k.sourceRef.key) is not this checkout; not built" }
                else { message = "Built \(repo.inventory[k.key]?.count ?? 0) objects from \(k.path.isEmpty ? "./" : k.path)" }
                rows.append(LocalStatusRow(namespace: k.key.namespace, name: k.key.name,
                                           revision: external ? "" : revision, suspended: k.suspend,
                                           ready: problem == nil && !external ? "True" : (external ? "Unknown" : "False"),
                                           message: message))
            }
        case .helmRelease:
            for r in repo.helmReleases where matches(r.key, namespace, name) {
                let problem = repo.problems.first { $0.severity == .error && $0.message.contains(r.key.description) }
                let chart = r.chart.name.isEmpty ? "" : "\(r.chart.name)@\(r.chart.version)"
                rows.append(LocalStatusRow(namespace: r.key.namespace, name: r.key.name, revision: chart,
                                           suspended: r.suspend, ready: problem == nil ? "True" : "False",
                                           message: problem?.message ?? "Chart from \(r.chart.source.key)"))
            }
        }
        rows.sort { ($0.namespace, $0.name) < ($1.namespace, $1.name) }
        let kindName = kind == .kustomization ? "Kustomization" : "HelmRelease"
        let scope = namespace.map { "in \"\($0)\" namespace" } ?? "in any namespace"
        if rows.isEmpty, let name { throw .objectNotFoundLocally(kind: kindName, name: name, scope: scope) }
        if rows.isEmpty { throw .noObjectsLocally(kind: kindName, scope: scope) }
        return rows
    }

    private static func matches(_ key: FluxObjectKey, _ namespace: String?, _ name: String?) -> Bool {
        (namespace == nil || key.namespace == namespace) && (name == nil || key.name == name)
    }
}
