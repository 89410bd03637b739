extension Command {
    static let removeTenant = Command(
        name: "remove",
        aliases: ["rm"],
        abstract: "Remove a tenant's directory and its registration",
        examples: [
            Example(comment: "Preview the removal", command: "gitopsctl tenant remove team-b --dry-run"),
        ],
        positionals: [.name(.tenant, "tenant")],
        options: [.repo, .dryRun, .commit],
        body: Command.notImplemented)
}
