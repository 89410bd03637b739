import GitOpsCore

extension Command {
    static let encrypt = Command(
        name: "encrypt",
        abstract: "Encrypt a file with SOPS for age recipients",
        discussion: """
        Encrypts every value of a YAML, JSON, dotenv or binary file the way sops does, so sops, \
        Flux's kustomize-controller and gitopsctl can all decrypt it. Recipients and the \
        encrypted_regex/suffix rules come from the first creation rule of the nearest .sops.yaml \
        whose path_regex matches the file, unless flags give them; SOPS_AGE_RECIPIENTS also \
        works. An already encrypted file is refused.

        \(ExitCodeTable.secretsHelp)
        """,
        examples: [
            Example(comment: "Encrypt in place with the recipients .sops.yaml names",
                    command: "gitopsctl encrypt -i infrastructure/configs/secrets/dns-token.yaml"),
            Example(comment: "Encrypt only stringData and data, for one recipient",
                    command: "gitopsctl encrypt --age age1ql3z7hjy54pw3hyww5ayyfg7zqgvc7w3j2elw8zmrj2kg5sfn9aqmcac8p --encrypted-regex '^(data|stringData)$' secret.yaml > secret.enc.yaml"),
            Example(comment: "Show which creation rule applies to a file, and why",
                    command: "gitopsctl encrypt --show-rule tenants/team-a/secrets/db.yaml"),
        ],
        positionals: [.secretFiles],
        options: [
            .inPlace, .outputFile, .recursive,
            .value("age", .string, "Encrypt for these age recipients instead of the rule's", repeatable: true,
                   commaList: true, valueName: "RECIPIENT"),
            .value("encrypted-regex", .string, "Encrypt only the values whose key matches", valueName: "REGEX"),
            .value("unencrypted-regex", .string, "Leave the values whose key matches in clear", valueName: "REGEX"),
            .value("encrypted-suffix", .string, "Encrypt only the values whose key ends with this", valueName: "SUFFIX"),
            .value("unencrypted-suffix", .string, "Leave the values whose key ends with this in clear",
                   valueName: "SUFFIX"),
            .flag("mac-only-encrypted", "Compute the MAC over the encrypted values only"),
            .inputType, .outputType, .sopsConfig,
            .flag("show-rule", "Print the creation rule that applies to FILE and why, then stop"),
        ],
        body: runEncrypt)

    private static let cryptRuleOptions = ["encrypted-regex", "unencrypted-regex", "encrypted-suffix", "unencrypted-suffix"]

    /// One file: to stdout, `--output FILE` or in place. Several files or `-r`: in place only;
    /// with `-r`, files that are already encrypted are skipped.
    private static func runEncrypt(_ invocation: Invocation) async throws -> ExitStatus {
        let workspace = invocation.sopsWorkspace
        let arguments = invocation.arguments
        let files = try invocation.secretFiles(workspace)
        if arguments.flag("show-rule") {
            for file in files { invocation.output.write(try workspace.showRule(for: file)) }
            return 0
        }
        var options = SopsWorkspace.EncryptOptions()
        options.recipients = arguments.strings("age")
        for name in cryptRuleOptions {
            if let pattern = arguments.string(name) { options.cryptRules[name.replacingOccurrences(of: "-", with: "_")] = pattern }
        }
        options.macOnlyEncrypted = arguments.flag("mac-only-encrypted")
        options.inputFormat = try invocation.sopsFormat("input-type")
        options.outputFormat = try invocation.sopsFormat("output-type")
        if files.count == 1 && !arguments.isSet("recursive") {
            let bytes = try workspace.encrypt(files[0], options: options)
            try invocation.writeSecretResult(bytes, for: files[0], workspace, mode: 0o644)
            return 0
        }
        guard arguments.flag("in-place") else {
            throw invocation.usageError(.missingArgument("-i (needed to encrypt several files)"))
        }
        let pending = arguments.isSet("recursive") ? files.filter { !workspace.isEncrypted($0) } : files
        return try invocation.forEachSecretFile(pending) { file in
            try workspace.write(try workspace.encrypt(file, options: options), to: file)
            return "encrypted \(file)"
        }
    }
}
