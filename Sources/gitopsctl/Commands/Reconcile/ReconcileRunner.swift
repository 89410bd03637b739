import GitOpsCore

/// The body shared by every `reconcile KIND` command (the Flux way): one NAME or `--all`,
/// progress on stderr, and with `-o json|yaml` the results on stdout for CI.
enum ReconcileRunner {
    static func run(_ invocation: Invocation, kind: FluxKind) async throws -> ExitStatus {
        let arguments = invocation.arguments
        let format = try invocation.outputFormat()
        let namespace = try ClusterWorkflowSession.namespace(invocation)
        var options = ReconcileOptions()
        options.withSource = arguments.flag("with-source")
        options.force = arguments.flag("force")
        options.reset = arguments.flag("reset")
        options.waitForRetry = arguments.flag("wait-for-retry")
        options.timeout = ClusterWorkflowSession.timeout(invocation)
        let name = arguments.positional(0)
        if arguments.flag("all"), name != nil { throw invocation.usageError(.unexpectedArgument(name ?? "")) }
        guard name != nil || arguments.flag("all") else { throw invocation.usageError(.missingArgument("NAME (or --all)")) }
        let session = try ClusterWorkflowSession(invocation)
        let reconciler = Reconciler(client: session.client, events: session.events)
        let results: [ReconcileResult]
        if let name {
            do {
                results = [try await reconciler.reconcile(kind, name: name, namespace: namespace, options: options)]
            } catch {
                if format != .text { try render(invocation, [failure(kind, name, namespace, error)], format) }
                throw error
            }
        } else {
            let all = arguments.flag("all-namespaces") ? nil : namespace
            results = try await reconciler.reconcileAll(kind, namespace: all, options: options)
        }
        if format != .text { try render(invocation, results, format) }
        let failed = results.filter { !$0.succeeded }.count
        if failed > 0 { throw ReconcileError.someFailed(count: failed, kind: kind.kind, verb: "reconciliation") }
        return 0
    }

    private static func failure(_ kind: FluxKind, _ name: String, _ namespace: String,
                                _ error: ReconcileError) -> ReconcileResult {
        ReconcileResult(kind: kind, name: name, namespace: namespace, revision: "", message: error.description,
                        succeeded: false)
    }

    private static func render(_ invocation: Invocation, _ results: [ReconcileResult], _ format: OutputFormat) throws {
        try invocation.output.render(ReconcileResults(results: results), as: format)
    }
}

/// `-o json|yaml` of a reconcile: one entry per object.
struct ReconcileResults: Renderable {
    var results: [ReconcileResult]

    var document: Document {
        .array(results.map { result in
            ["kind": .string(result.kind.kind), "namespace": .string(result.namespace), "name": .string(result.name),
             "ready": .bool(result.succeeded), "revision": .string(result.revision), "message": .string(result.message)]
        })
    }

    func humanText(color: Bool) -> String {
        results.map { "\($0.reference)\t\($0.succeeded ? "ready" : "failed")\t\($0.message)\n" }.joined()
    }
}

extension Option {
    static let reconcileAll = Option.flag("all", "Reconcile every object of the kind in the namespace, in parallel")
    static let waitForRetry = Option.flag("wait-for-retry",
                                          "Keep waiting through failed attempts until success or --timeout, as flux does")

    /// The options of every `reconcile KIND` command (the Flux way).
    static let reconcile: [Option] = cluster + [reconcileAll, allNamespaces, timeout(), waitForRetry,
                                                output([.text, .json, .yaml])]
}

extension Positional {
    /// NAME for a reconcile, optional because `--all` may stand in for it.
    static func reconciled(_ kind: ValueKind, _ noun: String) -> Positional {
        Positional(name: "NAME", kind: kind, abstract: "The \(noun) (or --all)", optional: true)
    }
}
