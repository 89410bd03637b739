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
<<<<<<< .merge_file_lEVROF
    static let byKind: [ResourceKind: CompletionProvider] = [
        .context: kubeconfigContexts,
    ]

    /// Context names from the kubeconfig the command would use (`--kubeconfig`, `$KUBECONFIG`,
    /// `~/.kube/config`), the current one described as such.
    static let kubeconfigContexts: CompletionProvider = { request in
        let source = KubeconfigSource(explicitPath: request.arguments.values["kubeconfig"]?.last)
        guard let config = try? source.load() else { return [] }
        return config.contextNames.map { name in
            CompletionCandidate(value: name, description: name == config.currentContext ? "current context" : "")
        }
    }
=======
    static let byKind: [ResourceKind: CompletionProvider] = ClusterCompletion.providers
>>>>>>> .merge_file_nOQuAG
}
