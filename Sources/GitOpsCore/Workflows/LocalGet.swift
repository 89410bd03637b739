/// `gitopsctl get ks|hr --local`: flux get's rows (`FluxStatusRow`) computed from the checkout
/// instead of a cluster. REVISION is what Flux would apply (the checkout's `branch@sha1:<hash>`
/// for Kustomizations, `chart@version` for HelmReleases); READY says whether it builds offline.
public enum LocalGet {
    public static func rows(_ repo: FluxRepo, kind: FluxListedKind, revision: String, namespace: String?,
                            name: String?) throws(FluxError) -> [FluxStatusRow] {
        var rows: [FluxStatusRow] = []
        switch kind {
        case .kustomization:
            for k in repo.kustomizations where matches(k.key, namespace, name) {
                let problem = firstError(repo, about: k.key)
                let external = repo.external.contains(k.key)
                var row = FluxStatusRow(namespace: k.key.namespace, name: k.key.name,
                                        revision: external ? "" : FluxStatusRow.shortenHashes(revision),
                                        suspended: k.suspend, ready: "True",
                                        message: "Built \(repo.inventory[k.key]?.count ?? 0) objects from \(k.path.isEmpty ? "./" : k.path)")
                if external {
                    row.ready = "Unknown"
                    row.message = "source \(k.sourceRef.key) is not this checkout; not built"
                } else if let problem {
                    row.ready = "False"
                    row.message = problem.message
                }
                rows.append(row)
            }
        case .helmRelease:
            for r in repo.helmReleases where matches(r.key, namespace, name) {
                let problem = firstError(repo, about: r.key)
                let chart = repo.chart(of: r)
                rows.append(FluxStatusRow(namespace: r.key.namespace, name: r.key.name,
                                          revision: chart.name.isEmpty ? "" : "\(chart.name)@\(chart.version)",
                                          suspended: r.suspend, ready: problem == nil ? "True" : "False",
                                          message: problem?.message ?? "Chart from \(chart.source.key)"))
            }
        case .gitRepository:
            for s in repo.sources where s.key.kind == "GitRepository" && matches(s.key, namespace, name) {
                // The bootstrap GitRepository is this checkout; others are fetched by the cluster only.
                let checkout = s.key == FluxRepoLoader.bootstrapSource
                rows.append(FluxStatusRow(namespace: s.key.namespace, name: s.key.name,
                                          revision: checkout ? FluxStatusRow.shortenHashes(revision) : "",
                                          suspended: s.suspend, ready: checkout ? "True" : "Unknown",
                                          message: checkout ? "The checkout of \(s.url)" : "Not fetched offline: \(s.url)"))
            }
        }
        rows.sort { ($0.namespace, $0.name) < ($1.namespace, $1.name) }
        let kindName = kind.groupVersionKind.kind
        let scope = namespace.map { "in \"\($0)\" namespace" } ?? "in any namespace"
        if rows.isEmpty, let name { throw .objectNotFoundLocally(kind: kindName, name: name, scope: scope) }
        if rows.isEmpty { throw .noObjectsLocally(kind: kindName, scope: scope) }
        return rows
    }

    private static func firstError(_ repo: FluxRepo, about key: FluxObjectKey) -> FluxProblem? {
        repo.problems.first { $0.severity == .error && $0.message.contains(key.description) }
    }

    private static func matches(_ key: FluxObjectKey, _ namespace: String?, _ name: String?) -> Bool {
        (namespace == nil || key.namespace == namespace) && (name == nil || key.name == name)
    }
}

extension FluxStatusRow {
    /// A row from values (the cluster path builds rows from objects).
    init(namespace: String, name: String, revision: String, suspended: Bool, ready: String, message: String) {
        self.namespace = namespace
        self.name = name
        self.revision = revision
        self.suspended = suspended
        self.ready = ready
        self.message = message
    }
}
