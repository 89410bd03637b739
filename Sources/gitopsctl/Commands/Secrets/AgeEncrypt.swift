import GitOpsCore

extension Command {
    static let ageEncrypt = Command(
        name: "encrypt",
        abstract: "Encrypt to age recipients or with a passphrase",
        discussion: """
        Writes an age v1 file that the age CLI (and sops) can decrypt. Recipients are X25519 \
        keys (age1...) and OpenSSH ssh-ed25519 public keys; -i encrypts to the recipients of \
        identity files. -p encrypts with a passphrase instead (read from the terminal, or from \
        GITOPSCTL_AGE_PASSPHRASE) and can't be combined with recipients. With -o the file \
        appears only once it is complete.
        """,
        examples: [
            Example(comment: "Encrypt a backup for one recipient, ASCII-armored",
                    command: "gitopsctl age encrypt -r age1ql3z7hjy54pw3hyww5ayyfg7zqgvc7w3j2elw8zmrj2kg5sfn9aqmcac8p -a -o backup.tar.age backup.tar"),
            Example(comment: "Encrypt for every recipient in a file",
                    command: "tar c secrets | gitopsctl age encrypt -R recipients.txt > secrets.tar.age"),
        ],
        positionals: [.ageInput],
        options: [
            .value("recipient", short: "r", .string, "Encrypt to this recipient (age1…)", repeatable: true,
                   valueName: "RECIPIENT"),
            .value("recipients-file", short: "R", .file, "Encrypt to the recipients listed in this file",
                   repeatable: true),
            .ageIdentity,
            .flag("armor", short: "a", "Write PEM-style ASCII armor"),
            .flag("passphrase", short: "p", "Encrypt with a passphrase read from the terminal"),
            .ageOutput,
        ],
        body: { invocation in
            let args = invocation.arguments
            let recipients = try AgeEncryptCommand.recipients(invocation)
            let armored = args.flag("armor")
            let output = args.string("output")
            if !armored && (output == nil) && invocation.terminal.stdoutIsTerminal {
                throw AgeCommandFailure(description: "refusing to output binary to the terminal",
                                        hint: "did you mean to use -a/--armor? Or redirect the output, or use -o FILE")
            }
            let encryptor = try AgeEncryptor(recipients: recipients)
            let input = try AgeIO.input(args.positional(0))
            try AgeIO.withOutput(output) { sink in
                try encryptor.encrypt(from: input, to: sink, armored: armored)
            }
            return 0
        })
}

/// How `age encrypt` turns its flags into recipients, as the age CLI does.
enum AgeEncryptCommand {
    static func recipients(_ invocation: Invocation) throws -> [AgeRecipient] {
        let args = invocation.arguments
        let given = args.strings("recipient"), files = args.strings("recipients-file"), identities = args.strings("identity")
        if args.flag("passphrase") {
            if !given.isEmpty { throw invocation.usageError(.conflicting("--passphrase", "--recipient")) }
            if !files.isEmpty { throw invocation.usageError(.conflicting("--passphrase", "--recipients-file")) }
            if !identities.isEmpty { throw invocation.usageError(.conflicting("--passphrase", "--identity")) }
            return [.scrypt(ScryptRecipient(passphrase: try AgeIO.passphrase(confirm: true)))]
        }
        var recipients = try given.map { try AgeRecipient(parsing: $0) }
        for file in files {
            let text = String(decoding: try AgeIO.readSmallFile(file), as: UTF8.self)
            recipients += try AgeRecipient.parseRecipientsFile(text, source: file)
        }
        for file in identities {
            recipients += try AgeIO.identities(file).compactMap(\.recipient)
        }
        guard !recipients.isEmpty else {
            throw AgeCommandFailure(description: "missing recipients",
                                    hint: "pass -r RECIPIENT, -R FILE, -i FILE, or -p for a passphrase")
        }
        return recipients
    }
}
