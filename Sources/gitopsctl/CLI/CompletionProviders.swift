import GitOpsCore

/// What a dynamic completion provider is asked: the word typed so far and the options already on
/// the line (so a provider can honour `--repo`, `--path`, `-n`, `--kubeconfig`).
struct CompletionRequest: Sendable {
    var prefix: String
    var arguments: ParsedArguments
}

/// Finds candidate names for one resource kind. Each returns full names; the engine filters by
/// prefix. A provider that fails returns nothing: completion never prints errors.
typealias CompletionProvider = @Sendable (CompletionRequest) -> [CompletionCandidate]

/// The table dynamic completion asks. Kinds without an entry complete to nothing (not to files).
/// Domains plug in here, one line per kind, e.g. `.kustomization: FluxRepoCompletion.names`.
enum CompletionProviders {
    static let byKind: [ResourceKind: CompletionProvider] =
        ClusterCompletion.providers.merging([.tenant: tenantNames]) { cluster, _ in cluster }
            .merging(FluxCompletion.providers(falling: ClusterCompletion.providers)) { _, repo in repo }
}
