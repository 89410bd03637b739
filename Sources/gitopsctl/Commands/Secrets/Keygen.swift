extension Command {
    static let keygen = Command(
        name: "keygen",
        abstract: "Generate an age identity (like age-keygen)",
        discussion: """
        Writes a new X25519 identity in age-keygen's format (# created, # public key, \
        AGE-SECRET-KEY-1…) and prints the public key on stderr. The file is created with mode \
        0600 and an existing file is never overwritten. With -y, prints the recipient of each \
        identity in INPUT instead.
        """,
        examples: [
            Example(comment: "Create the key file sops looks for", command: "gitopsctl keygen -o ~/.config/sops/age/keys.txt"),
            Example(comment: "Print the recipient of an identity file", command: "gitopsctl keygen -y ~/.config/sops/age/keys.txt"),
        ],
        positionals: [
            Positional(name: "INPUT", kind: .file, abstract: "With -y: the identity file to read (default: stdin)",
                       optional: true),
        ],
        options: [
            .value("output", short: "o", .file, "Write the identity (or with -y the recipients) to this file"),
            .flag("to-recipient", short: "y", "Convert an identity file to its recipients"),
        ],
        body: Command.notImplemented)
}
