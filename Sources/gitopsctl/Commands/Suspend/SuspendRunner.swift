import GitOpsCore

/// The bodies of `suspend KIND` and `resume KIND`: names or `--all` (`-A` for every namespace),
/// one line per object, exit 1 when any object failed or was missing.
enum SuspendRunner {
    static func suspend(_ invocation: Invocation, kind: FluxKind) async throws -> ExitStatus {
        let selection = try selection(invocation, kind: kind)
        let session = try ClusterWorkflowSession(invocation)
        let results = try await Suspender(client: session.client, events: session.events).suspend(kind, selection)
        return try verdict(results, kind: kind, verb: "suspend")
    }

    static func resume(_ invocation: Invocation, kind: FluxKind) async throws -> ExitStatus {
        let selection = try selection(invocation, kind: kind)
        let session = try ClusterWorkflowSession(invocation)
        let results = try await Resumer(client: session.client, events: session.events).resume(
            kind, selection, wait: invocation.arguments.flag("wait"), timeout: ClusterWorkflowSession.timeout(invocation))
        return try verdict(results, kind: kind, verb: "reconciliation")
    }

    private static func selection(_ invocation: Invocation, kind: FluxKind) throws -> FluxObjectSelection {
        let arguments = invocation.arguments
        let names = arguments.positionals
        let namespace = try ClusterWorkflowSession.namespace(invocation)
        // flux: --all only counts when no NAME is given; NAMEs win.
        if !names.isEmpty { return .named(names, namespace: namespace) }
        guard arguments.flag("all") else { throw invocation.usageError(.missingArgument("\(kind.humanKind) NAME (or --all)")) }
        return .all(namespace: arguments.flag("all-namespaces") ? nil : namespace)
    }

    private static func verdict(_ results: [SuspensionResult], kind: FluxKind, verb: String) throws -> ExitStatus {
        let failed = results.filter { !$0.succeeded }.count
        if failed > 0 { throw ReconcileError.someFailed(count: failed, kind: kind.kind, verb: verb) }
        return 0
    }
}
