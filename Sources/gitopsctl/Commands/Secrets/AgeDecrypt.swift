extension Command {
    static let ageDecrypt = Command(
        name: "decrypt",
        abstract: "Decrypt an age file with identities or a passphrase",
        examples: [
            Example(comment: "Decrypt with the key file sops uses",
                    command: "gitopsctl age decrypt -i ~/.config/sops/age/keys.txt -o backup.tar backup.tar.age"),
        ],
        positionals: [.ageInput],
        options: [.ageIdentity, .ageOutput],
        body: Command.notImplemented)
}
