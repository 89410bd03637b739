import GitOpsCore

/// A worked example shown in help and man pages: a comment line and the command itself.
struct Example: Sendable {
    var comment: String
    var command: String
}

/// What a command's body returns: the process exit status.
typealias ExitStatus = Int32

/// Declares one command (or group of subcommands) exactly once. The parser, help, completion
/// scripts, `__complete` and the man pages are all derived from this value, so they cannot drift.
///
/// A command lives in `Commands/<Noun>/<Verb><Noun>.swift` as a static member, and its body is
/// thin: read typed arguments, call GitOpsCore, print data on `output`, steps on `reporter`:
///
///     static let suspendKustomization = Command(
///         name: "kustomization", aliases: ["ks"], abstract: "Suspend reconciliation of Kustomizations",
///         positionals: [.names(.kustomization, "Kustomization")],
///         options: Option.cluster + [.all, .allNamespaces],
///         body: { invocation in
///             let names = invocation.arguments.positionals
///             let namespace = invocation.arguments.string("namespace")   // default applied
///             invocation.reporter.action("suspending kustomization \(names[0]) in \(namespace!) namespace")
///             …
///             return 0   // or throw a UserFacingError; main prints it and exits with its code
///         })
///
/// Usage errors the parser cannot see (`NAME…` or `--all`, never both) are thrown as
/// `invocation.usageError(.conflicting("NAME", "--all"))`: exit 2 with the usage line.
struct Command: Sendable {
    typealias Body = @Sendable (Invocation) async throws -> ExitStatus

    var name: String
    var aliases: [String]
    var abstract: String
    /// Help prose, built when help or a man page asks for it: the tree is declared on every
    /// start, and the interpolated texts (exit-code tables) were a tenth of a `decrypt`.
    var discussion: String { discussionText() }
    private var discussionText: @Sendable () -> String
    var examples: [Example]
    var positionals: [Positional]
    var options: [Option]
    var subcommands: [Command]
    var hidden: Bool
    /// The heading the parent's help lists this command under ("Secrets", "Cluster").
    var section: String?
    /// Every word after the command is a positional, even `--x` (for `__complete`, which
    /// receives other commands' flags as data).
    var takesRawArguments: Bool
    /// Nil for a pure group: running it without a subcommand is a usage error.
    var body: Body?

    init(name: String, aliases: [String] = [], abstract: String,
         discussion: @autoclosure @escaping @Sendable () -> String = "",
         examples: [Example] = [], positionals: [Positional] = [], options: [Option] = [],
         subcommands: [Command] = [], hidden: Bool = false, section: String? = nil,
         takesRawArguments: Bool = false, body: Body? = nil) {
        self.name = name
        self.aliases = aliases
        self.abstract = abstract
        self.discussionText = discussion
        self.examples = examples
        self.positionals = positionals
        self.options = options
        self.subcommands = subcommands
        self.hidden = hidden
        self.section = section
        self.takesRawArguments = takesRawArguments
        self.body = body
    }

    /// Whether `word` names this command (its name or one of its aliases).
    func answers(to word: String) -> Bool {
        name == word || aliases.contains(word)
    }

    func subcommand(named word: String) -> Command? {
        subcommands.first { $0.answers(to: word) }
    }

    var visibleSubcommands: [Command] { subcommands.filter { !$0.hidden } }

    /// Every option the parser accepts here: the command's own, then the universal ones.
    var acceptedOptions: [Option] { options + Option.universal }

    func option(long: String) -> Option? {
        acceptedOptions.first { $0.long == long }
    }

    func option(short: Character) -> Option? {
        acceptedOptions.first { $0.short == short }
    }
}

/// Where a command sits in the tree: the root first, the command itself last.
struct CommandPath: Sendable {
    var commands: [Command]

    var command: Command { commands[commands.count - 1] }

    /// `gitopsctl reconcile kustomization`
    var displayName: String { commands.map(\.name).joined(separator: " ") }

    /// `reconcile kustomization`: the words after the program name.
    var commandName: String { commands.dropFirst().map(\.name).joined(separator: " ") }

    /// `gitopsctl-reconcile-kustomization`, the man page name.
    var manPageName: String { commands.map(\.name).joined(separator: "-") }

    func appending(_ command: Command) -> CommandPath {
        CommandPath(commands: commands + [command])
    }

    /// The path `words` name below this one (`help reconcile ks`, `man tenant add`).
    func descending(_ words: [String]) throws(UsageError) -> CommandPath {
        var path = self
        for word in words {
            guard let next = path.command.subcommand(named: word) else {
                let names = path.command.visibleSubcommands.flatMap { [$0.name] + $0.aliases }
                throw .unknownCommand(word, parent: path.displayName,
                                      suggestion: Suggestion.closest(to: word, among: names))
            }
            path = path.appending(next)
        }
        return path
    }

    /// `gitopsctl reconcile kustomization NAME [flags]`
    var usage: String {
        let command = self.command
        var parts = [displayName]
        if command.body == nil || (!command.visibleSubcommands.isEmpty && command.positionals.isEmpty) {
            if !command.visibleSubcommands.isEmpty { parts.append("COMMAND") }
        }
        parts += command.positionals.map(\.synopsis)
        if !command.options.filter({ !$0.hidden }).isEmpty || command.body != nil { parts.append("[flags]") }
        return parts.joined(separator: " ")
    }
}

/// Everything a command body gets: its parsed arguments, stdout for data, the reporter for steps.
struct Invocation: Sendable {
    var path: CommandPath
    var arguments: ParsedArguments
    var output: StandardOutput
    var reporter: Reporter
    var terminal: Terminal
    /// The API server's warnings, printed once per text for the whole process (see `kubeTransport`).
    var apiWarnings: APIWarningSink?

    /// A status line for long waits; draws only when stderr is a terminal.
    func progressLine() -> ProgressLine {
        ProgressLine(enabled: terminal.stderrIsTerminal)
    }

    /// The output format chosen with `-o`, checked against the command's declared choices.
    func outputFormat() throws -> OutputFormat {
        guard let raw = arguments.string("output") else { return .text }
        guard let format = OutputFormat(rawValue: raw) else {
            throw UsageError.invalidChoice(option: "--output", value: raw, choices: OutputFormat.allCases.map(\.rawValue))
        }
        return format
    }
}

/// The failure of a command whose implementation has not landed yet.
struct NotImplemented: UserFacingError, Equatable {
    var command: String
    var description: String { "\(command) is not implemented yet" }
}

extension Command {
    /// The body of a command whose implementation arrives later: it says so and exits 1,
    /// rather than printing anything that could be mistaken for a result.
    static let notImplemented: Body = { invocation in
        throw NotImplemented(command: invocation.path.commandName)
    }
}
