extension Command {
    static let updateKeys = Command(
        name: "updatekeys",
        abstract: "Re-wrap the data key of encrypted files for the recipients .sops.yaml now names",
        discussion: """
        For each file, the creation rule that matches it decides the recipients; the data key \
        is wrapped for them and the values are left as they are. With --check nothing is \
        written and the exit status is 1 when any file is out of date, for CI.

        \(ExitCodeTable.secretsHelp)
        """,
        examples: [
            Example(comment: "After adding a recipient to .sops.yaml", command: "gitopsctl updatekeys -r . --yes"),
            Example(comment: "Fail CI when a file still has the old recipients", command: "gitopsctl updatekeys --check -r tenants"),
        ],
        positionals: [.secretFiles],
        options: [
            .recursive,
            .flag("yes", short: "y", "Do not ask before changing each file"),
            .flag("check", "Change nothing; exit 1 when any file's recipients differ from its rule"),
            .sopsConfig,
        ],
        body: Command.notImplemented)
}
