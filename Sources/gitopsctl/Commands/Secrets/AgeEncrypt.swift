extension Command {
    static let ageEncrypt = Command(
        name: "encrypt",
        abstract: "Encrypt to age recipients or with a passphrase",
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
        body: Command.notImplemented)
}
