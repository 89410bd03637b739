extension Command {
    static let reconcileSourceOCI = Command(
        name: "oci",
        abstract: "Reconcile an OCIRepository (fetch the latest artifact)",
        examples: [Example(comment: "Pull the artifact just pushed", command: "gitopsctl reconcile source oci podinfo")],
        positionals: [.reconciled(.string, "OCIRepository")],
        options: Option.reconcile,
        body: { try await ReconcileRunner.run($0, kind: .ociRepository) })

    static let reconcileSourceHelm = Command(
        name: "helm",
        abstract: "Reconcile a HelmRepository (fetch the index again)",
        examples: [Example(comment: "Refresh the chart index", command: "gitopsctl reconcile source helm bitnami")],
        positionals: [.reconciled(.string, "HelmRepository")],
        options: Option.reconcile,
        body: { try await ReconcileRunner.run($0, kind: .helmRepository) })

    static let reconcileSourceChart = Command(
        name: "chart",
        abstract: "Reconcile a HelmChart (optionally its HelmRepository first)",
        examples: [Example(comment: "Fetch the chart again", command: "gitopsctl reconcile source chart flux-system-podinfo --with-source")],
        positionals: [.reconciled(.string, "HelmChart")],
        options: Option.reconcile + [.withSource],
        body: { try await ReconcileRunner.run($0, kind: .helmChart) })
}
