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
            let path = try invocation.commandPath(named: invocation.arguments.positionals)
            invocation.output.write(HelpRenderer(path: path).render())
            return 0
        })
}
