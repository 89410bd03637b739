import GitOpsCore

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
        body: runUpdateKeys)

    /// Per file: say what changes (`+ age1…`, `- age1…`), ask unless `--yes`, re-wrap the data
    /// key. `--check` changes nothing and exits 1 when any file is stale.
    private static func runUpdateKeys(_ invocation: Invocation) async throws -> ExitStatus {
        let workspace = invocation.sopsWorkspace
        let arguments = invocation.arguments
        let files = try invocation.secretFiles(workspace)
        let encrypted = arguments.isSet("recursive") ? files.filter { workspace.isEncrypted($0) } : files
        if !arguments.flag("check") && !arguments.flag("yes") && !invocation.stdinIsTerminal {
            throw invocation.usageError(.missingArgument("--yes (stdin is not a terminal, so nothing can be confirmed)"))
        }
        var stale = 0
        let status = try invocation.forEachSecretFile(encrypted) { file in
            let update = try workspace.keyUpdate(for: file)
            if update.isCurrent { return "\(file): recipients match the creation rule" }
            let changes = update.added.map { "+ \($0)" } + update.removed.map { "- \($0)" }
            if arguments.flag("check") {
                stale += 1
                invocation.reporter.failure("\(file): recipients differ from the creation rule")
                for line in changes { invocation.reporter.note("    \(line)") }
                return nil
            }
            invocation.reporter.action("\(file): updating recipients")
            for line in changes { invocation.reporter.note("    \(line)") }
            if !arguments.flag("yes") {
                invocation.reporter.note("Is this okay? (y/n)")
                guard readLine()?.lowercased().hasPrefix("y") == true else { return "\(file): left unchanged" }
            }
            try workspace.applyKeyUpdate(update)
            return "\(file): data key re-wrapped for the rule's recipients"
        }
        return stale > 0 ? 1 : status
    }
}
