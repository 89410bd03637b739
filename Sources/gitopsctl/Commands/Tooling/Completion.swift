extension Command {
    static let completion = Command(
        name: "completion",
        abstract: "Print the shell completion script for bash, zsh or fish",
        discussion: """
        The scripts complete commands, flags and their values, file names for file arguments, \
        and Flux object names. The same scripts are in the completions/ directory of the source.
        """,
        examples: [
            Example(comment: "bash, for this shell", command: "source <(gitopsctl completion bash)"),
            Example(comment: "zsh, installed", command: "gitopsctl completion zsh > \"${fpath[1]}/_gitopsctl\""),
            Example(comment: "fish, installed", command: "gitopsctl completion fish > ~/.config/fish/completions/gitopsctl.fish"),
        ],
        positionals: [Positional(name: "SHELL", kind: .choice(Shell.allCases.map(\.rawValue)), abstract: "bash, zsh or fish")],
        body: { invocation in
            guard let name = invocation.arguments.positional(0), let shell = Shell(rawValue: name) else { return 2 }
            invocation.output.write(CompletionScripts.script(for: shell))
            return 0
        })

    /// The hidden command the completion scripts call.
    static let complete = Command(
        name: "__complete",
        abstract: "Print completions for a partial command line (used by the completion scripts)",
        positionals: [Positional(name: "WORD", kind: .string, abstract: "The words so far; the last is being completed",
                                 optional: true, variadic: true)],
        hidden: true,
        takesRawArguments: true,
        body: { invocation in
            let engine = CompletionEngine(root: invocation.path.commands[0])
            invocation.output.write(engine.complete(invocation.arguments.positionals).text)
            return 0
        })
}
