extension Command {
    static let reconcileHelmRelease = Command(
        name: "helmrelease",
        aliases: ["hr"],
        abstract: "Reconcile a Flux HelmRelease",
        examples: [
            Example(comment: "Fetch the chart again and upgrade", command: "gitopsctl reconcile hr cilium -n kube-system --with-source"),
            Example(comment: "Retry a release that ran out of retries", command: "gitopsctl reconcile hr cert-manager --reset"),
        ],
        positionals: [.reconciled(.resource(.helmRelease), "HelmRelease")],
        options: Option.reconcile + [
            .withSource,
            .flag("force", "Force a one-off install or upgrade (reconcile.fluxcd.io/forceAt)"),
            .flag("reset", "Reset the failure counts (reconcile.fluxcd.io/resetAt)"),
        ],
        body: { try await ReconcileRunner.run($0, kind: .helmRelease) })
}
