/// `gitopsctl help CMD` and `CMD --help`, laid out like cobra's help so flux and kubectl users
/// find things where they expect them.
struct HelpRenderer {
    var path: CommandPath

    func render() -> String {
        let command = path.command
        var sections: [String] = []
        var description = command.abstract
        for paragraph in command.discussion.paragraphs() {
            // Preformatted paragraphs (tables) keep their lines; prose is wrapped for a terminal.
            description += "\n\n" + (paragraph.contains("\n") ? paragraph : paragraph.wrapped(width: 80))
        }
        sections.append(description)
        var usage = "Usage:\n  \(path.usage)"
        if command.body != nil, !command.visibleSubcommands.isEmpty, !command.positionals.isEmpty {
            usage += "\n  \(path.displayName) COMMAND [flags]"
        }
        sections.append(usage)
        if !command.aliases.isEmpty {
            sections.append("Aliases:\n  " + ([command.name] + command.aliases).joined(separator: ", "))
        }
        if !command.examples.isEmpty {
            sections.append("Examples:\n" + command.examples.map { "  # \($0.comment)\n  \($0.command)" }
                .joined(separator: "\n\n"))
        }
        let subcommands = command.visibleSubcommands
        if !subcommands.isEmpty {
            let width = subcommands.map(\.name.count).max() ?? 0
            // Group by section, in the order sections first appear; unsectioned ones together.
            var headings: [String] = []
            for sub in subcommands where !headings.contains(sub.section ?? "Available Commands") {
                headings.append(sub.section ?? "Available Commands")
            }
            for heading in headings {
                let members = subcommands.filter { ($0.section ?? "Available Commands") == heading }
                sections.append("\(heading):\n" + members.map {
                    "  " + $0.name.padding(to: width) + "  " + $0.abstract
                }.joined(separator: "\n"))
            }
        }
        let arguments = command.positionals
        if !arguments.isEmpty {
            let width = arguments.map(\.name.count).max() ?? 0
            sections.append("Arguments:\n" + arguments.map {
                "  " + $0.name.padding(to: width) + "  " + $0.abstract
            }.joined(separator: "\n"))
        }
        let own = command.options.filter { !$0.hidden }
        if !own.isEmpty { sections.append("Flags:\n" + Self.optionLines(own)) }
        sections.append("Global Flags:\n" + Self.optionLines(Option.universal))
        if !subcommands.isEmpty {
            sections.append("Use \"\(path.displayName) COMMAND --help\" for more information about a command.")
        }
        return sections.joined(separator: "\n\n") + "\n"
    }

    static func optionLines(_ options: [Option]) -> String {
        let synopses = options.map { ($0.short == nil ? "    " : "") + $0.synopsis }
        let width = synopses.map(\.count).max() ?? 0
        return zip(options, synopses).map { option, synopsis in
            "  " + synopsis.padding(to: width) + "   " + option.abstract + Self.suffix(option)
        }.joined(separator: "\n")
    }

    /// ` (default "5m")`, ` (one of: table, json)`, ` (repeatable)`
    static func suffix(_ option: Option) -> String {
        var notes: [String] = []
        if case .choice(let choices)? = option.kind, option.placeholder == "CHOICE" {
            notes.append("one of: " + choices.joined(separator: ", "))
        }
        if let value = option.defaultValue, option.takesValue { notes.append("default \"\(value)\"") }
        if option.repeatable { notes.append("repeatable") }
        return notes.isEmpty ? "" : " (" + notes.joined(separator: "; ") + ")"
    }
}

extension String {
    func padding(to width: Int) -> String {
        self + String(repeating: " ", count: max(0, width - count))
    }
}
