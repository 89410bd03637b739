/// The result of parsing a command line: which command, with what arguments, or a help request.
struct ParsedCommandLine: Sendable {
    var path: CommandPath
    var arguments: ParsedArguments
    var helpRequested: Bool { arguments.flag("help") }
}

/// Turns argv into a command path and typed arguments, from the declarations alone.
///
/// Accepted forms, as cobra-based tools (flux, kubectl) accept them: `--flag`, `--flag=false`,
/// `--opt value`, `--opt=value`, `-o value`, `-ovalue`, short clusters `-ay` when every letter
/// but the last is a flag, and `--` ending options. Universal flags (`--help`, `--no-color`,
/// `--verbose`) may also come before the command words.
struct Parser {
    var root: Command

    func parse(_ arguments: [String]) throws -> ParsedCommandLine {
        var path = CommandPath(commands: [root])
        var index = 0
        var leading: [String] = []
        while index < arguments.count {
            let word = arguments[index]
            if word.hasPrefix("-"), word != "-", word != "--" {
                guard isUniversalFlag(word) else { break }
                leading.append(word)
                index += 1
                continue
            }
            if word == "--" { break }
            if let subcommand = path.command.subcommand(named: word) {
                path = path.appending(subcommand)
                index += 1
                continue
            }
            if path.command.positionals.isEmpty, !path.command.subcommands.isEmpty {
                let names = path.command.visibleSubcommands.flatMap { [$0.name] + $0.aliases }
                throw UsageFailure(
                    error: .unknownCommand(word, parent: path.displayName,
                                           suggestion: Suggestion.closest(to: word, among: names)),
                    path: path)
            }
            break
        }
        if path.command.takesRawArguments {
            return ParsedCommandLine(path: path, arguments: ParsedArguments(positionals: Array(arguments[index...])))
        }
        var parsed = try parseOptions(leading + arguments[index...], for: path)
        if parsed.flag("help") { return ParsedCommandLine(path: path, arguments: parsed) }
        try assignPositionals(&parsed, for: path)
        return ParsedCommandLine(path: path, arguments: parsed)
    }

    private func isUniversalFlag(_ word: String) -> Bool {
        Option.universal.contains { option in
            word == "--\(option.long)" || option.short.map { word == "-\($0)" } == true
        }
    }

    private func parseOptions(_ tokens: some Collection<String>, for path: CommandPath) throws -> ParsedArguments {
        let command = path.command
        var parsed = ParsedArguments()
        let accepted = command.acceptedOptions
        parsed.declared.reserveCapacity(accepted.count)
        for option in accepted { parsed.declared[option.long] = option }
        var tokens = Array(tokens)[...]
        var onlyPositionals = false

        func fail(_ error: UsageError) -> UsageFailure { UsageFailure(error: error, path: path) }

        func record(_ option: Option, _ value: String) throws {
            try validate(value, for: option, path: path)
            parsed.values[option.long, default: []].append(value)
        }

        while let token = tokens.popFirst() {
            if onlyPositionals || token == "-" || !token.hasPrefix("-") {
                parsed.positionals.append(token)
            } else if token == "--" {
                onlyPositionals = true
            } else if token.hasPrefix("--") {
                let body = token.dropFirst(2)
                let name = String(body.prefix { $0 != "=" })
                let inlineValue = body.contains("=") ? String(body.drop { $0 != "=" }.dropFirst()) : nil
                guard let option = command.option(long: name) else {
                    let names = command.acceptedOptions.filter { !$0.hidden }.map { "--\($0.long)" }
                    throw fail(.unknownFlag("--\(name)", suggestion: Suggestion.closest(to: "--\(name)", among: names)))
                }
                if option.takesValue {
                    if let inlineValue {
                        try record(option, inlineValue)
                    } else if let next = tokens.popFirst() {
                        try record(option, next)
                    } else {
                        throw fail(.missingValue(option: option.displayName))
                    }
                } else {
                    let value = inlineValue ?? "true"
                    guard value == "true" || value == "false" else {
                        throw fail(.flagTakesNoValue(option: option.displayName, value: value))
                    }
                    parsed.values[option.long, default: []].append(value)
                }
            } else {
                var letters = token.dropFirst()
                while let letter = letters.popFirst() {
                    guard let option = command.option(short: letter) else {
                        // Every one-letter flag is one edit away from every other: no suggestion.
                        throw fail(.unknownFlag("-\(letter)", suggestion: nil))
                    }
                    guard option.takesValue else {
                        parsed.values[option.long, default: []].append("true")
                        continue
                    }
                    if !letters.isEmpty {
                        try record(option, String(letters.drop { $0 == "=" }))
                    } else if let next = tokens.popFirst() {
                        try record(option, next)
                    } else {
                        throw fail(.missingValue(option: option.displayName))
                    }
                    break
                }
            }
        }
        return parsed
    }

    private func validate(_ value: String, for option: Option, path: CommandPath) throws {
        guard let kind = option.kind else { return }
        let parts = option.commaList ? value.split(separator: ",").map(String.init) : [value]
        for part in parts {
            if let error = Self.problem(with: part, of: kind, named: option.displayName) {
                throw UsageFailure(error: error, path: path)
            }
        }
    }

    /// Why `value` is not a valid `kind`, or nil when it is.
    static func problem(with value: String, of kind: ValueKind, named name: String) -> UsageError? {
        switch kind {
        case .duration:
            return (try? GoDuration.parse(value)) == nil ? .invalidDuration(option: name, value: value) : nil
        case .choice(let choices):
            return choices.contains(value) ? nil : .invalidChoice(option: name, value: value, choices: choices)
        case .integer:
            return Int(value) == nil ? .invalidInteger(option: name, value: value) : nil
        case .string, .file, .directory, .resource:
            return nil
        }
    }

    private func assignPositionals(_ parsed: inout ParsedArguments, for path: CommandPath) throws {
        let command = path.command
        if command.body == nil, !command.subcommands.isEmpty, parsed.positionals.isEmpty {
            throw UsageFailure(error: .missingSubcommand(parent: path.displayName,
                                                         choices: command.visibleSubcommands.map(\.name)),
                               path: path)
        }
        let declared = command.positionals
        let required = declared.filter { !$0.optional }
        if parsed.positionals.count < required.count {
            throw UsageFailure(error: .missingArgument(required[parsed.positionals.count].name), path: path)
        }
        let variadic = declared.last?.variadic == true
        if !variadic, parsed.positionals.count > declared.count {
            throw UsageFailure(error: .unexpectedArgument(parsed.positionals[declared.count]), path: path)
        }
        for (offset, value) in parsed.positionals.enumerated() {
            let positional = declared[min(offset, declared.count - 1)]
            if case .choice(let choices) = positional.kind, !choices.contains(value) {
                throw UsageFailure(error: .invalidChoice(option: positional.name, value: value, choices: choices),
                                   path: path)
            }
        }
    }
}
