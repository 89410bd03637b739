import GitOpsCore

extension Command {
    static let rotate = Command(
        name: "rotate",
        abstract: "Re-encrypt files with a new data key",
        discussion: """
        Generates a new data key for each file and re-encrypts every value with it, for when a \
        key may have leaked or a recipient was removed.

        \(ExitCodeTable.secretsHelp)
        """,
        examples: [
            Example(comment: "Rotate every secret of a tenant", command: "gitopsctl rotate -r tenants/team-a/secrets"),
        ],
        positionals: [.secretFiles],
        options: [.recursive, .sopsConfig],
        body: { invocation in
            let workspace = invocation.sopsWorkspace
            let files = try invocation.secretFiles(workspace)
            let encrypted = invocation.arguments.isSet("recursive") ? files.filter { workspace.isEncrypted($0) } : files
            return try invocation.forEachSecretFile(encrypted) { file in
                try workspace.rotate(file)
                return "rotated the data key of \(file)"
            }
        })
}
