import GitOpsCore

extension Command {
    static let ageDecrypt = Command(
        name: "decrypt",
        abstract: "Decrypt an age file with identities or a passphrase",
        discussion: """
        Reads binary or ASCII-armored age files. Identities come from -i files (age-keygen \
        format with any number of keys, or an unencrypted OpenSSH ed25519 private key); -p \
        asks for the passphrase of a passphrase-encrypted file (or reads \
        GITOPSCTL_AGE_PASSPHRASE). The header MAC is checked before any plaintext is written. \
        With -o the file appears only after the last chunk verifies; on standard output, like \
        age, chunks are written as they verify.
        """,
        examples: [
            Example(comment: "Decrypt with the key file sops uses",
                    command: "gitopsctl age decrypt -i ~/.config/sops/age/keys.txt -o backup.tar backup.tar.age"),
            Example(comment: "Decrypt a passphrase-protected file in a script",
                    command: "GITOPSCTL_AGE_PASSPHRASE=\"$PASS\" gitopsctl age decrypt -p notes.txt.age > notes.txt"),
        ],
        positionals: [.ageInput],
        options: [
            .ageIdentity,
            .flag("passphrase", short: "p", "Decrypt with a passphrase read from the terminal"),
            .ageOutput,
        ],
        body: { invocation in
            let args = invocation.arguments
            var identities: [AgeIdentity] = []
            for file in args.strings("identity") {
                identities += try AgeIO.identities(file)
            }
            if args.flag("passphrase") {
                identities.append(.scrypt(ScryptIdentity(passphrase: try AgeIO.passphrase(confirm: false))))
            }
            let decryptor = AgeDecryptor(identities: identities)
            let path = args.positional(0)
            let input = try AgeIO.input(path)
            try AgeIO.withOutput(args.string("output")) { sink in
                do {
                    try decryptor.decrypt(from: input, to: sink)
                } catch let error as CryptoError {
                    throw AgeCommandFailure(naming: path, error)
                }
            }
            return 0
        })
}
