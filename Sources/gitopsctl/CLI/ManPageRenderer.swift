/// roff man(7) pages: gitopsctl(1) for the whole tool and one page per command
/// (`gitopsctl-reconcile-kustomization(1)`), all from the command declarations. Output is
/// deterministic (a fixed date), so the checked-in pages can be compared byte for byte.
struct ManPageRenderer {
    var root: Command
    var version: String
    var date: String = "2026-11-21"

    /// Every page, keyed by file name (`gitopsctl.1`, `gitopsctl-age-encrypt.1`), in tree order.
    func pages() -> [(fileName: String, contents: String)] {
        allPaths().map { ("\($0.manPageName).1", page(for: $0)) }
    }

    /// The root and every visible command below it, depth first.
    func allPaths() -> [CommandPath] {
        var result: [CommandPath] = []
        func visit(_ path: CommandPath) {
            result.append(path)
            for sub in path.command.visibleSubcommands { visit(path.appending(sub)) }
        }
        visit(CommandPath(commands: [root]))
        return result
    }

    func page(for path: CommandPath) -> String {
        let command = path.command
        let isRoot = path.commands.count == 1
        var out = ".TH \(Self.escape(path.manPageName.uppercased())) 1 \(date) \"\(Self.escape(root.name)) \(version)\" \"User Commands\"\n"
        out += ".SH NAME\n\(Self.escape(path.manPageName)) \\- \(Self.escape(command.abstract))\n"
        out += ".SH SYNOPSIS\n.B \(Self.escape(path.displayName))\n"
        let rest = path.usage.dropFirst(path.displayName.count).trimmingSpaces()
        if !rest.isEmpty { out += Self.escape(rest) + "\n" }
        // The sops exit-code table has its own section below.
        let prose = command.discussion.paragraphs().filter { !$0.hasPrefix("Exit status") }.joined(separator: "\n\n")
        out += ".SH DESCRIPTION\n" + Self.discussionBody(prose.isEmpty ? command.abstract : prose)
        if !command.aliases.isEmpty {
            out += ".PP\nAliases: \(Self.escape(command.aliases.joined(separator: ", "))).\n"
        }
        if isRoot {
            out += ".SH COMMANDS\n"
            for sub in allPaths().dropFirst() where sub.command.body != nil {
                out += ".TP\n.B \(Self.escape(sub.displayName))\n\(Self.escape(sub.command.abstract))\n"
            }
        } else if !command.visibleSubcommands.isEmpty {
            out += ".SH COMMANDS\n"
            for sub in command.visibleSubcommands {
                out += ".TP\n.B \(Self.escape(sub.name))\n\(Self.escape(sub.abstract))\n"
            }
        }
        if !command.positionals.isEmpty {
            out += ".SH ARGUMENTS\n"
            for positional in command.positionals {
                out += ".TP\n.I \(Self.escape(positional.synopsis))\n\(Self.escape(positional.abstract))\n"
            }
        }
        let own = command.options.filter { !$0.hidden }
        if !own.isEmpty {
            out += ".SH OPTIONS\n" + own.map(Self.optionItem).joined()
        }
        out += ".SH GLOBAL OPTIONS\n" + Option.universal.map(Self.optionItem).joined()
        if !command.examples.isEmpty {
            out += ".SH EXAMPLES\n"
            for (index, example) in command.examples.enumerated() {
                out += (index == 0 ? "" : ".PP\n") + "\(Self.escape(example.comment)):\n.PP\n.RS 4\n.EX\n\(Self.escape(example.command))\n.EE\n.RE\n"
            }
        }
        if isRoot { out += environmentSection() }
        out += exitStatusSection(isRoot || command.discussion.contains("Exit status (as sops)"))
        out += seeAlso(path)
        return Self.fitLines(out)
    }

    /// Keeps every input line within 80 bytes, as man page style (and `mandoc -T lint`) asks:
    /// text lines are refilled at spaces; long literal lines (examples) are split with roff's
    /// `\` line continuation, which joins them again on output.
    static func fitLines(_ page: String) -> String {
        var out: [String] = []
        var literal = false
        for line in page.split(separator: "\n", omittingEmptySubsequences: false).map(String.init) {
            if line == ".EX" { literal = true } else if line == ".EE" { literal = false }
            guard line.utf8.count > 80 else { out.append(line); continue }
            if literal {
                var rest = Substring(line)
                while rest.utf8.count > 78 {
                    var cut = rest.index(rest.startIndex, offsetBy: 78)
                    // Never split a roff escape such as \- or \e.
                    while cut > rest.startIndex, rest[rest.index(before: cut)] == "\\" { cut = rest.index(before: cut) }
                    out.append(String(rest[..<cut]) + "\\")
                    rest = rest[cut...]
                }
                out.append(String(rest))
            } else if line.hasPrefix(".") {
                out.append(line)
            } else {
                out += line.wrapped(width: 79, measure: .utf8Bytes).split(separator: "\n").map { piece in
                    piece.hasPrefix(".") || piece.hasPrefix("'") ? "\\&" + piece : String(piece)
                }
            }
        }
        return out.joined(separator: "\n")
    }

    private static func optionItem(_ option: Option) -> String {
        var head = option.short.map { "\\fB\\-\($0)\\fR, " } ?? ""
        head += "\\fB\(escape("--" + option.long))\\fR"
        if let placeholder = option.placeholder { head += " \\fI\(escape(placeholder))\\fR" }
        return ".TP\n\(head)\n\(escape(option.abstract + HelpRenderer.suffix(option)))\n"
    }

    private func environmentSection() -> String {
        let variables: [(String, String)] = [
            ("KUBECONFIG", "Kubeconfig files, separated by colons, merged as kubectl merges them."),
            ("SOPS_AGE_KEY", "age identities (AGE-SECRET-KEY-…) used to decrypt."),
            ("SOPS_AGE_KEY_FILE", "A file of age identities used to decrypt."),
            ("SOPS_AGE_RECIPIENTS", "Comma-separated age recipients used to encrypt when no rule or flag names any."),
            ("SOPS_EDITOR, EDITOR", "The editor edit opens."),
            ("NO_COLOR", "When set, output is never coloured."),
        ]
        var out = ".SH ENVIRONMENT\n"
        for (name, meaning) in variables { out += ".TP\n.B \(Self.escape(name))\n\(Self.escape(meaning))\n" }
        out += ".SH FILES\n"
        out += ".TP\n.I ~/.config/sops/age/keys.txt\nage identities, read after SOPS_AGE_KEY and SOPS_AGE_KEY_FILE.\n"
        out += ".TP\n.I ~/.kube/config\nThe kubeconfig used when KUBECONFIG is unset.\n"
        out += ".TP\n.I .sops.yaml\nCreation rules, found from the current directory upwards.\n"
        return out
    }

    private func exitStatusSection(_ includeSecrets: Bool) -> String {
        var out = ".SH EXIT STATUS\n"
        for entry in ExitCodeTable.general { out += ".TP\n.B \(entry.code)\n\(Self.escape(entry.meaning))\n" }
        if includeSecrets {
            out += ".PP\nThe secrets commands use the exit codes of sops for the same failures:\n"
            for entry in ExitCodeTable.secrets { out += ".TP\n.B \(entry.code)\n\(Self.escape(entry.meaning))\n" }
        }
        return out
    }

    private func seeAlso(_ path: CommandPath) -> String {
        var related: [String] = []
        if path.commands.count > 1 {
            related.append(CommandPath(commands: Array(path.commands.dropLast())).manPageName)
        }
        related += path.command.visibleSubcommands.map { path.appending($0).manPageName }
        if path.commands.count == 1 { related += ["flux", "sops", "age", "kubectl"] }
        guard !related.isEmpty else { return "" }
        return ".SH SEE ALSO\n" + related.enumerated().map { index, name in
            ".BR \(Self.escape(name)) (1)\(index == related.count - 1 ? "" : " ,")"
        }.joined(separator: "\n") + "\n"
    }

    /// Paragraphs of discussion text; lines keep their breaks inside a paragraph.
    private static func discussionBody(_ text: String) -> String {
        text.paragraphs().enumerated().map { index, paragraph in
            let body = paragraph.split(separator: "\n", omittingEmptySubsequences: false).map { line -> String in
                let escaped = escape(String(line))
                return line.hasPrefix("  ") ? escaped.trimmingSpaces() : escaped
            }.joined(separator: "\n.br\n")
            return (index == 0 ? "" : ".PP\n") + body + "\n"
        }.joined()
    }

    /// Text safe in a roff line: backslashes and hyphens escaped, no line starting with a
    /// control character.
    static func escape(_ text: String) -> String {
        var out = text.replacingAll("\\", with: "\\e").replacingAll("-", with: "\\-")
        if out.hasPrefix(".") || out.hasPrefix("'") { out = "\\&" + out }
        return out
    }
}

extension StringProtocol {
    func trimmingSpaces() -> String {
        String(drop { $0 == " " }.reversed().drop { $0 == " " }.reversed())
    }

    /// The text split at blank lines.
    func paragraphs() -> [String] {
        var paragraphs: [String] = []
        var current: [Substring] = []
        for line in String(self).split(separator: "\n", omittingEmptySubsequences: false) {
            if line.allSatisfy({ $0 == " " }) {
                if !current.isEmpty { paragraphs.append(current.joined(separator: "\n")) }
                current = []
            } else {
                current.append(line)
            }
        }
        if !current.isEmpty { paragraphs.append(current.joined(separator: "\n")) }
        return paragraphs
    }

    func replacingAll(_ target: Character, with replacement: String) -> String {
        var out = ""
        for character in self { if character == target { out += replacement } else { out.append(character) } }
        return out
    }
}
