extension Command {
    static let help = Command(
        name: "help",
        abstract: "Show help for gitopsctl or one of its commands",
        examples: [
            Example(comment: "Everything reconcile can do", command: "gitopsctl help reconcile"),
            Example(comment: "One command", command: "gitopsctl help reconcile ks"),
        ],
        positionals: [Positional(name: "COMMAND", kind: .string, abstract: "The command words", optional: true,
                                 variadic: true)],
        body: { invocation in
            var path = CommandPath(commands: [invocation.path.commands[0]])
            for word in invocation.arguments.positionals {
                guard let next = path.command.subcommand(named: word) else {
                    let names = path.command.visibleSubcommands.flatMap { [$0.name] + $0.aliases }
                    throw UsageFailure(error: .unknownCommand(word, parent: path.displayName,
                                                              suggestion: Suggestion.closest(to: word, among: names)),
                                       path: invocation.path)
                }
                path = path.appending(next)
            }
            invocation.output.write(HelpRenderer(path: path).render())
            return 0
        })
}
