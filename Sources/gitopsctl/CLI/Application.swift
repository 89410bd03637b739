import GitOpsCore

/// Runs one command line: parse, dispatch, and the single place where failures become messages
/// and exit statuses (2 for usage errors, a `UserFacingError`'s own code, else 1).
struct Application {
    var root: Command

    func run(_ arguments: [String]) async -> ExitStatus {
        // Colour must be decided before parsing, so a usage error honours --no-color too.
        let terminal = Terminal.current(noColorFlag: arguments.contains("--no-color"))
        let reporter = Reporter(color: terminal.colorOnStderr)
        let output = StandardOutput(color: terminal.colorOnStdout)
        if arguments.isEmpty {
            output.write(HelpRenderer(path: CommandPath(commands: [root])).render())
            return 0
        }
        do {
            let parsed = try Parser(root: root).parse(arguments)
            guard !parsed.helpRequested, let body = parsed.path.command.body else {
                output.write(HelpRenderer(path: parsed.path).render())
                return 0
            }
            var stepReporter = reporter
            stepReporter.verbose = parsed.arguments.flag("verbose")
            let invocation = Invocation(path: parsed.path, arguments: parsed.arguments, output: output,
                                        reporter: stepReporter, terminal: terminal,
                                        apiWarnings: reporter.apiWarningSink(terminal))
            return try await body(invocation)
        } catch let failure as UsageFailure {
            report(failure.error, in: failure.path, to: reporter)
            return 2
        } catch let error as UserFacingError {
            reporter.failure(error.description)
            if let hint = error.hint { reporter.note("  \(hint)") }
            return error.exitCode
        } catch {
            reporter.failure(String(describing: error))
            return 1
        }
    }

    /// `✗ <problem>`, the "did you mean" line when there is one, then one usage line.
    private func report(_ error: UsageError, in path: CommandPath, to reporter: Reporter) {
        reporter.failure(error.description)
        if let suggestion = error.suggestion { reporter.note("  \(suggestion)") }
        reporter.note("Usage: \(path.usage)  (see '\(path.displayName) --help')")
    }
}

extension Invocation {
    /// Raises a usage error for this command (exit 2, with its usage line).
    func usageError(_ error: UsageError) -> UsageFailure {
        UsageFailure(error: error, path: path)
    }

    /// The command that `words` name from the root (`help reconcile ks`, `man tenant add`).
    func commandPath(named words: [String]) throws -> CommandPath {
        do throws(UsageError) {
            return try CommandPath(commands: [path.commands[0]]).descending(words)
        } catch {
            throw usageError(error)
        }
    }
}
