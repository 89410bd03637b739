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
        ],
        positionals: [.secretFile],
        options: [
            .inPlace, .outputFile,
            .value("extract", .string, "Print only the value at this path, e.g. '[\"stringData\"][\"password\"]'",
                   valueName: "PATH"),
            .ignoreMAC, .inputType, .outputType,
        ],
        body: Command.notImplemented)
}
