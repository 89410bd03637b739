extension Command {
    static let edit = Command(
        name: "edit",
        abstract: "Edit an encrypted file in $SOPS_EDITOR or $EDITOR and re-encrypt it",
        discussion: """
        Decrypts to a private temporary file, opens the editor, and re-encrypts with the same \
        data key and metadata. An unchanged file is not rewritten; a result that does not parse \
        can be reopened or abandoned, and the original stays untouched.

        \(ExitCodeTable.secretsHelp)
        """,
        examples: [
            Example(comment: "Change a password in an encrypted Secret",
                    command: "EDITOR=vim gitopsctl edit tenants/team-a/secrets/db.yaml"),
        ],
        positionals: [.secretFile],
        options: [.ignoreMAC, .inputType],
        body: Command.notImplemented)
}
