import Foundation
import GitOpsCore

/// Completion of Flux object, namespace and context names from the cluster the command line
/// points at (`--kubeconfig`, `--context`, `-n`, `-A`).
enum ClusterCompletion {
    static let providers: [ResourceKind: CompletionProvider] = [
        .kustomization: { names(.kustomization, $0) },
        .helmRelease: { names(.helmRelease, $0) },
        .gitRepository: { names(.gitRepository, $0) },
        .namespace: { names(.namespace, $0) },
        .context: kubeconfigContexts,
    ]

    /// Context names from the kubeconfig the command would use, the current one described as such.
    private static let kubeconfigContexts: CompletionProvider = { request in
        let source = KubeconfigSource(explicitPath: request.arguments.string("kubeconfig"))
        guard let config = try? source.load() else { return [] }
        return config.contextNames.map { name in
            CompletionCandidate(value: name, description: name == config.currentContext ? "current context" : "")
        }
    }

    private static func lookup(_ request: CompletionRequest) -> CompletionNames {
        let arguments = request.arguments
        let environment = ProcessInfo.processInfo.environment
        let cache = environment["XDG_CACHE_HOME"].map { "\($0)/gitopsctl" } ?? NSHomeDirectory() + "/.cache/gitopsctl"
        return CompletionNames(source: KubeconfigSource(explicitPath: arguments.string("kubeconfig"),
                                                        context: arguments.string("context")),
                               cacheDirectory: cache)
    }

    private static func names(_ kind: CompletionNames.Kind, _ request: CompletionRequest) -> [CompletionCandidate] {
        let namespace = kind == .namespace || request.arguments.flag("all-namespaces")
            ? nil : request.arguments.string("namespace")
        return lookup(request).names(kind, namespace: namespace).map { CompletionCandidate(value: $0) }
    }
}
