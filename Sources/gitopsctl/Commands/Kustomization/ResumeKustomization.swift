extension Command {
    static let resumeKustomization = Command(
        name: "kustomization",
        aliases: ["ks"],
        abstract: "Resume suspended Kustomizations and wait for them",
        examples: [
            Example(comment: "Let Flux manage the apps again", command: "gitopsctl resume ks apps"),
        ],
        positionals: [.names(.kustomization, "Kustomization")],
        options: Option.cluster + [.all, .allNamespaces, .timeout(), .wait.defaulting(to: "true")],
        body: { try await SuspendRunner.resume($0, kind: .kustomization) })
}
