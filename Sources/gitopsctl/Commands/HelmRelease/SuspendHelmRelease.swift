extension Command {
    static let suspendHelmRelease = Command(
        name: "helmrelease",
        aliases: ["hr"],
        abstract: "Suspend reconciliation of HelmReleases",
        examples: [
            Example(comment: "Hold an upgrade", command: "gitopsctl suspend hr kyverno -n kyverno"),
        ],
        positionals: [.names(.helmRelease, "HelmRelease")],
        options: Option.cluster + [.all, .allNamespaces],
        body: { try await SuspendRunner.suspend($0, kind: .helmRelease) })
}
