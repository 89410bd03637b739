import Foundation
import GitOpsCore

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
        body: { invocation in
            let file = try invocation.arguments.positional(0) ?? { throw invocation.usageError(.missingArgument("FILE")) }()
            let editor = SopsEditSession.editorCommand(environment: ProcessInfo.processInfo.environment)
            let session = SopsEditSession(workspace: invocation.sopsWorkspace, editor: editor)
            let interactive = invocation.stdinIsTerminal
            let outcome = try session.run(file, ignoreMAC: invocation.arguments.flag("ignore-mac")) { error in
                guard interactive else { return false }
                invocation.reporter.failure(error.description)
                invocation.reporter.note("Press Enter to reopen the editor, or type q and Enter to give up.")
                return readLine()?.lowercased().hasPrefix("q") != true
            }
            switch outcome {
            case .unchanged: invocation.reporter.success("\(file) unchanged, not rewritten")
            case .saved: invocation.reporter.success("\(file) re-encrypted")
            }
            return 0
        })
}
