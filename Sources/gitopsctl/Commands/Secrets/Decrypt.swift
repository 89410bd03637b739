import GitOpsCore

extension Command {
    static let decrypt = Command(
        name: "decrypt",
        abstract: "Decrypt a SOPS file with an age identity",
        discussion: """
        Identities are looked up exactly as sops looks them up: SOPS_AGE_KEY, then \
        SOPS_AGE_KEY_FILE, then ~/.config/sops/age/keys.txt. The MAC is always verified unless \
        --ignore-mac is given.

        \(ExitCodeTable.secretsHelp)
        """,
        examples: [
            Example(comment: "Print a decrypted Secret",
                    command: "SOPS_AGE_KEY_FILE=~/.config/sops/age/keys.txt gitopsctl decrypt infrastructure/configs/secrets/dns-token.yaml"),
            Example(comment: "Print one value, for a script",
                    command: "gitopsctl decrypt --extract '[\"stringData\"][\"password\"]' tenants/team-a/secrets/db.yaml"),
            Example(comment: "Decrypt every secret of a tenant into a scratch directory",
                    command: "gitopsctl decrypt -r tenants/team-a --output /tmp/plain"),
        ],
        positionals: [.secretFiles],
        options: [
            .inPlace, .outputFile, .recursive,
            .value("extract", .string, "Print only the value at this path, e.g. '[\"stringData\"][\"password\"]'",
                   valueName: "PATH"),
            .ignoreMAC, .inputType, .outputType, .sopsConfig,
        ],
        body: runDecrypt)

    /// One file: to stdout, `--output FILE` or in place. Several files or `-r`: in place, or
    /// into the `--output` directory at the same relative paths.
    private static func runDecrypt(_ invocation: Invocation) async throws -> ExitStatus {
        let workspace = invocation.sopsWorkspace
        let files = try invocation.secretFiles(workspace)
        let arguments = invocation.arguments
        let inputType = try invocation.sopsFormat("input-type")
        if files.count == 1 && !arguments.isSet("recursive") {
            let opened = try workspace.open(files[0], format: inputType, ignoreMAC: arguments.flag("ignore-mac"))
            let bytes = try opened.plaintext(as: try invocation.sopsFormat("output-type"), extract: arguments.string("extract"))
            try invocation.writeSecretResult(bytes, for: files[0], workspace, mode: 0o600)
            return 0
        }
        guard arguments.flag("in-place") || arguments.isSet("output") else {
            throw invocation.usageError(.missingArgument("-i or --output DIR (needed to decrypt several files)"))
        }
        if arguments.isSet("extract") { throw invocation.usageError(.conflicting("--extract", "several files")) }
        let results = try workspace.decryptAll(files, into: arguments.flag("in-place") ? nil : arguments.string("output"),
                                               format: inputType, ignoreMAC: arguments.flag("ignore-mac"),
                                               skipPlaintext: arguments.isSet("recursive"))
        var decrypted = 0, failed = 0
        for (file, result) in results {
            switch result {
            case .done: decrypted += 1
            case .skipped: invocation.reporter.detail("\(file): not encrypted, skipped")
            case let .failed(error):
                failed += 1
                invocation.reporter.failure("\(file): \(error.description)")
            }
        }
        invocation.reporter.success("decrypted \(decrypted) of \(decrypted + failed) files")
        return failed == 0 ? 0 : 1
    }
}
