extension Command {
    static let suspendKustomization = Command(
        name: "kustomization",
        aliases: ["ks"],
        abstract: "Suspend reconciliation of Kustomizations",
        examples: [
            Example(comment: "Stop Flux from changing the apps while debugging", command: "gitopsctl suspend ks apps"),
            Example(comment: "Suspend every Kustomization in flux-system", command: "gitopsctl suspend ks --all"),
        ],
        positionals: [.names(.kustomization, "Kustomization")],
        options: Option.cluster + [.all, .allNamespaces],
        body: { try await SuspendRunner.suspend($0, kind: .kustomization) })
}
