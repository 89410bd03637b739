extension Command {
    static let resumeHelmRelease = Command(
        name: "helmrelease",
        aliases: ["hr"],
        abstract: "Resume suspended HelmReleases and wait for them",
        examples: [
            Example(comment: "Let Flux upgrade kyverno again", command: "gitopsctl resume hr kyverno -n kyverno"),
        ],
        positionals: [.names(.helmRelease, "HelmRelease")],
        options: Option.cluster + [.all, .allNamespaces, .timeout(), .wait.defaulting(to: "true")],
        body: { try await SuspendRunner.resume($0, kind: .helmRelease) })
}
