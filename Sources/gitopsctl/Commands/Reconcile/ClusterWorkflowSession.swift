import GitOpsCore

/// What every cluster workflow command needs: a client from the kubeconfig options, and workflow
/// events rendered as flux's step lines on stderr (the `◎` status line only on a terminal).
struct ClusterWorkflowSession {
    let client: KubeClient
    let events: WorkflowEvents

    init(_ invocation: Invocation) throws {
        let arguments = invocation.arguments
        let source = KubeconfigSource(explicitPath: arguments.string("kubeconfig"), context: arguments.string("context"))
        let reporter = invocation.reporter
        client = KubeClient(transport: try invocation.kubeTransport(source))
        let progress = invocation.progressLine()
        events = { @Sendable event in
            switch event {
            case let .progress(message): progress.update(message)
            case let .action(message): progress.clear(); reporter.action(message)
            case let .success(message): progress.clear(); reporter.success(message)
            case let .waiting(message): progress.clear(); reporter.waiting(message)
            case let .failure(message): progress.clear(); reporter.failure(message)
            case let .warning(message): progress.clear(); reporter.warning(message)
            }
        }
    }

    /// The `-n` namespace, checked the way flux checks it.
    static func namespace(_ invocation: Invocation) throws -> String {
        try FluxKind.validatedNamespace(invocation.arguments.string("namespace") ?? "flux-system")
    }

    /// `--timeout` in seconds (5m when absent).
    static func timeout(_ invocation: Invocation) -> Double {
        guard let duration = invocation.arguments.duration("timeout") else { return 300 }
        let parts = duration.components
        return Double(parts.seconds) + Double(parts.attoseconds) / 1e18
    }
}
