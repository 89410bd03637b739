import GitOpsCore

extension Command {
    static let keygen = Command(
        name: "keygen",
        abstract: "Generate an age identity (like age-keygen)",
        discussion: """
        Writes a new X25519 identity in age-keygen's format (# created, # public key, \
        the secret key line) and prints the public key on stderr. The file is created with mode \
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
        body: { invocation in
            let args = invocation.arguments
            let output = args.string("output")
            if args.flag("to-recipient") {
                let source = args.positional(0) ?? "-"
                let identities = try AgeIO.identities(source)
                let text = identities.compactMap(\.recipient).map { "\($0)\n" }.joined()
                try AgeIO.withOutput(output, mode: 0o600, existing: .refuse) { try $0.write(Array(text.utf8)) }
                return 0
            }
            if let extra = args.positional(0) {
                throw invocation.usageError(.unexpectedArgument(extra))
            }
            let identity = try X25519Identity.generate()
            try AgeIO.withOutput(output, mode: 0o600, existing: .refuse) { sink in
                try sink.write(Array(AgeKeyFile.contents(for: identity).utf8))
            }
            // age-keygen prints the public key on stderr unless the key itself goes to a terminal.
            if output != nil || !invocation.terminal.stdoutIsTerminal {
                invocation.reporter.note("Public key: \(identity.recipient)")
            }
            return 0
        })
}
