extension Command {
    static let listTenants = Command(
        name: "list",
        aliases: ["ls"],
        abstract: "List the tenants registered in the repository",
        examples: [
            Example(comment: "Tenants and their owners", command: "gitopsctl tenant list"),
        ],
        options: [.repo, .output()],
        body: Command.notImplemented)
}
