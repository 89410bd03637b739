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
        positionals: [.secretFile],
        options: [
            .inPlace, .outputFile,
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
        body: Command.notImplemented)
}
