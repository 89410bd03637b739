/// One completion answer: a value and, for shells that show them (zsh, fish), a description.
struct CompletionCandidate: Sendable, Equatable {
    var value: String
    var description: String = ""
}

/// How the shell should finish the word when the candidates are not the whole answer.
enum CompletionDirective: String, Sendable {
    /// Only the candidates.
    case none = ":none"
    /// The shell's own file-name completion.
    case files = ":files"
    /// The shell's own directory-name completion.
    case directories = ":dirs"
}

/// The hidden `gitopsctl __complete WORD… CURRENT` protocol the generated scripts speak: one
/// `value<TAB>description` line per candidate, then a directive line. All the knowledge lives
/// here, so the shell scripts stay small and never go stale when commands change.
struct CompletionEngine {
    var root: Command
    var providers: [ResourceKind: CompletionProvider] = CompletionProviders.byKind

    struct Answer: Sendable, Equatable {
        var candidates: [CompletionCandidate]
        var directive: CompletionDirective

        var text: String {
            candidates.map { $0.description.isEmpty ? $0.value : "\($0.value)\t\($0.description)" }
                .map { $0 + "\n" }.joined() + directive.rawValue + "\n"
        }
    }

    /// `words` are the command-line words after the program name; the last is the one being
    /// completed (empty right after a space).
    func complete(_ words: [String]) -> Answer {
        let current = words.last ?? ""
        var path = CommandPath(commands: [root])
        var arguments = ParsedArguments()
        var pending: Option?
        var optionsEnded = false

        for word in words.dropLast() {
            if let option = pending {
                // bash splits `--output=json` into `--output`, `=`, `json`.
                if word == "=" { continue }
                arguments.values[option.long, default: []].append(word)
                pending = nil
            } else if !optionsEnded, word == "--" {
                optionsEnded = true
            } else if !optionsEnded, word.hasPrefix("-"), word.count > 1 {
                pending = takesSeparateValue(word, in: path.command)
            } else if arguments.positionals.isEmpty, let subcommand = path.command.subcommand(named: word) {
                path = path.appending(subcommand)
            } else {
                arguments.positionals.append(word)
            }
        }
        for option in path.command.acceptedOptions { arguments.declared[option.long] = option }

        if let option = pending, let kind = option.kind {
            return values(of: kind, prefix: current == "=" ? "" : current, arguments: arguments)
        }
        if !optionsEnded, current.hasPrefix("--"), let equals = current.firstIndex(of: "=") {
            let name = String(current[current.index(current.startIndex, offsetBy: 2)..<equals])
            guard let kind = path.command.option(long: name)?.kind else { return Answer(candidates: [], directive: .none) }
            let head = String(current[...equals])
            var answer = values(of: kind, prefix: String(current[current.index(after: equals)...]), arguments: arguments)
            answer.candidates = answer.candidates.map { CompletionCandidate(value: head + $0.value, description: $0.description) }
            return answer
        }
        if !optionsEnded, current.hasPrefix("-") {
            return Answer(candidates: optionCandidates(path.command, prefix: current), directive: .none)
        }
        if path.command.name == "help", path.commands.count == 2 {
            return helpCandidates(arguments.positionals, prefix: current)
        }
        if arguments.positionals.isEmpty, !path.command.visibleSubcommands.isEmpty {
            let names = subcommandCandidates(path.command, prefix: current)
            if !names.isEmpty || path.command.positionals.isEmpty {
                return Answer(candidates: names, directive: .none)
            }
        }
        let declared = path.command.positionals
        guard !declared.isEmpty else { return Answer(candidates: [], directive: .none) }
        let index = arguments.positionals.count
        guard index < declared.count || declared.last?.variadic == true else {
            return Answer(candidates: [], directive: .none)
        }
        return values(of: declared[min(index, declared.count - 1)].kind, prefix: current, arguments: arguments)
    }

    /// For an option word already complete, the option whose value is the next word, if any.
    private func takesSeparateValue(_ word: String, in command: Command) -> Option? {
        if word.hasPrefix("--") {
            guard !word.contains("="), let option = command.option(long: String(word.dropFirst(2))) else { return nil }
            return option.takesValue ? option : nil
        }
        // A short cluster needs the next word only when its last letter takes a value.
        for (offset, letter) in word.dropFirst().enumerated() {
            guard let option = command.option(short: letter) else { return nil }
            if option.takesValue { return offset == word.count - 2 ? option : nil }
        }
        return nil
    }

    private func values(of kind: ValueKind, prefix: String, arguments: ParsedArguments) -> Answer {
        switch kind {
        case .file: return Answer(candidates: [], directive: .files)
        case .directory: return Answer(candidates: [], directive: .directories)
        case .choice(let choices):
            return Answer(candidates: choices.filter { $0.hasPrefix(prefix) }.map { CompletionCandidate(value: $0) },
                          directive: .none)
        case .duration:
            let examples = ["30s", "1m", "5m", "10m", "30m", "1h"]
            return Answer(candidates: examples.filter { $0.hasPrefix(prefix) }.map { CompletionCandidate(value: $0) },
                          directive: .none)
        case .resource(let resource):
            let found = providers[resource]?(CompletionRequest(prefix: prefix, arguments: arguments)) ?? []
            return Answer(candidates: found.filter { $0.value.hasPrefix(prefix) }, directive: .none)
        case .string, .integer:
            return Answer(candidates: [], directive: .none)
        }
    }

    private func optionCandidates(_ command: Command, prefix: String) -> [CompletionCandidate] {
        command.acceptedOptions.filter { !$0.hidden }
            .map { CompletionCandidate(value: "--\($0.long)", description: $0.abstract) }
            .filter { $0.value.hasPrefix(prefix) }
    }

    /// Names first; an alias only when the word typed so far matches no name (`ks` after `k`
    /// would be noise next to `kustomization`, but `hr` after `h` with no name is not).
    private func subcommandCandidates(_ command: Command, prefix: String) -> [CompletionCandidate] {
        let visible = command.visibleSubcommands
        let byName = visible.filter { $0.name.hasPrefix(prefix) }
            .map { CompletionCandidate(value: $0.name, description: $0.abstract) }
        if !byName.isEmpty { return byName }
        return visible.flatMap { sub in
            sub.aliases.filter { $0.hasPrefix(prefix) }.map { CompletionCandidate(value: $0, description: sub.abstract) }
        }
    }

    private func helpCandidates(_ typed: [String], prefix: String) -> Answer {
        var command = root
        for word in typed {
            guard let next = command.subcommand(named: word) else { return Answer(candidates: [], directive: .none) }
            command = next
        }
        return Answer(candidates: subcommandCandidates(command, prefix: prefix), directive: .none)
    }
}
