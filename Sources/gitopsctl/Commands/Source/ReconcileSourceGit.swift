extension Command {
    static let reconcileSourceGit = Command(
        name: "git",
        abstract: "Reconcile a GitRepository (fetch the latest commit)",
        examples: [
            Example(comment: "Fetch the commit just pushed", command: "gitopsctl reconcile source git flux-system"),
        ],
        positionals: [.name(.gitRepository, "GitRepository")],
        options: Option.cluster + [.timeout()],
        body: Command.notImplemented)
}
