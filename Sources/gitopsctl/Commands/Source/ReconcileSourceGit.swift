extension Command {
    static let reconcileSourceGit = Command(
        name: "git",
        abstract: "Reconcile a GitRepository (fetch the latest commit)",
        examples: [
            Example(comment: "Fetch the commit just pushed", command: "gitopsctl reconcile source git flux-system"),
        ],
        positionals: [.reconciled(.resource(.gitRepository), "GitRepository")],
        options: Option.reconcile,
        body: { try await ReconcileRunner.run($0, kind: .gitRepository) })
}
