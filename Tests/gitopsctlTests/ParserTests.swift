import Testing
@testable import gitopsctl

/// Parser behaviour on the real command tree, table by table.
@Suite struct ParserTests {
    let parser = Parser(root: CommandTree.root())

    struct Accepted: Sendable, CustomTestStringConvertible {
        var argv: [String]
        var command: String
        var values: [String: [String]]
        var positionals: [String]
        var testDescription: String { argv.joined(separator: " ") }
    }

    static let accepted: [Accepted] = [
        Accepted(argv: ["reconcile", "ks", "apps"], command: "gitopsctl reconcile kustomization",
                 values: [:], positionals: ["apps"]),
        Accepted(argv: ["reconcile", "kustomization", "apps", "-n", "team-a", "--timeout=90s"],
                 command: "gitopsctl reconcile kustomization",
                 values: ["namespace": ["team-a"], "timeout": ["90s"]], positionals: ["apps"]),
        Accepted(argv: ["reconcile", "hr", "--namespace", "kyverno", "kyverno", "--force"],
                 command: "gitopsctl reconcile helmrelease",
                 values: ["namespace": ["kyverno"], "force": ["true"]], positionals: ["kyverno"]),
        Accepted(argv: ["reconcile", "source", "git", "flux-system", "-nflux-system"],
                 command: "gitopsctl reconcile source git",
                 values: ["namespace": ["flux-system"]], positionals: ["flux-system"]),
        Accepted(argv: ["--no-color", "get", "hr", "-A", "-o", "json"], command: "gitopsctl get helmreleases",
                 values: ["no-color": ["true"], "all-namespaces": ["true"], "output": ["json"]], positionals: []),
        Accepted(argv: ["age", "encrypt", "-ar", "age1abc", "-r", "age1def", "in.txt"], command: "gitopsctl age encrypt",
                 values: ["armor": ["true"], "recipient": ["age1abc", "age1def"]], positionals: ["in.txt"]),
        Accepted(argv: ["decrypt", "--", "-weird-name.yaml"], command: "gitopsctl decrypt",
                 values: [:], positionals: ["-weird-name.yaml"]),
        Accepted(argv: ["resume", "ks", "--all", "--wait=false"], command: "gitopsctl resume kustomization",
                 values: ["all": ["true"], "wait": ["false"]], positionals: []),
        Accepted(argv: ["build", "infrastructure/controllers"], command: "gitopsctl build",
                 values: [:], positionals: ["infrastructure/controllers"]),
        Accepted(argv: ["build", "ks", "apps"], command: "gitopsctl build kustomization",
                 values: [:], positionals: ["apps"]),
        Accepted(argv: ["encrypt", "--age", "age1a,age1b", "--age=age1c", "-i", "s.yaml"], command: "gitopsctl encrypt",
                 values: ["age": ["age1a,age1b", "age1c"], "in-place": ["true"]], positionals: ["s.yaml"]),
        Accepted(argv: ["keygen", "-y", "-o", "out.txt", "key.txt"], command: "gitopsctl keygen",
                 values: ["to-recipient": ["true"], "output": ["out.txt"]], positionals: ["key.txt"]),
        Accepted(argv: ["__complete", "get", "ks", "-o", ""], command: "gitopsctl __complete",
                 values: [:], positionals: ["get", "ks", "-o", ""]),
    ]

    @Test(arguments: accepted)
    func parsesAcceptedForms(_ case: Accepted) throws {
        let parsed = try parser.parse(`case`.argv)
        #expect(parsed.path.displayName == `case`.command)
        #expect(parsed.arguments.values == `case`.values)
        #expect(parsed.arguments.positionals == `case`.positionals)
    }

    struct Rejected: Sendable, CustomTestStringConvertible {
        var argv: [String]
        var error: UsageError
        var testDescription: String { argv.joined(separator: " ") }
    }

    static let rejected: [Rejected] = [
        Rejected(argv: ["frobnicate"], error: .unknownCommand("frobnicate", parent: "gitopsctl", suggestion: nil)),
        Rejected(argv: ["reconcil", "ks", "a"], error: .unknownCommand("reconcil", parent: "gitopsctl", suggestion: "reconcile")),
        Rejected(argv: ["rec"], error: .unknownCommand("rec", parent: "gitopsctl", suggestion: "reconcile")),
        Rejected(argv: ["reconcile", "hr", "x", "--forse"], error: .unknownFlag("--forse", suggestion: "--force")),
        Rejected(argv: ["reconcile", "ks", "x", "--frobnicate"], error: .unknownFlag("--frobnicate", suggestion: nil)),
        Rejected(argv: ["reconcile", "ks", "x", "-z"], error: .unknownFlag("-z", suggestion: nil)),
        Rejected(argv: ["tree", "ks"], error: .missingArgument("NAME")),
        Rejected(argv: ["reconcile", "ks", "a", "b"], error: .unexpectedArgument("b")),
        Rejected(argv: ["reconcile", "ks", "a", "--timeout", "abc"], error: .invalidDuration(option: "--timeout", value: "abc")),
        Rejected(argv: ["reconcile", "ks", "a", "--timeout", "5"], error: .invalidDuration(option: "--timeout", value: "5")),
        Rejected(argv: ["get", "ks", "-o", "xml"],
                 error: .invalidChoice(option: "--output", value: "xml", choices: ["table", "json", "yaml"])),
        Rejected(argv: ["reconcile", "ks", "a", "-n"], error: .missingValue(option: "--namespace")),
        Rejected(argv: ["reconcile", "ks", "a", "--with-source=maybe"],
                 error: .flagTakesNoValue(option: "--with-source", value: "maybe")),
        Rejected(argv: ["tenant", "add", "t", "--namespace-quota", "ten"],
                 error: .invalidInteger(option: "--namespace-quota", value: "ten")),
        Rejected(argv: ["completion", "tcsh"], error: .invalidChoice(option: "SHELL", value: "tcsh", choices: ["bash", "zsh", "fish"])),
        Rejected(argv: ["reconcile"], error: .missingSubcommand(parent: "gitopsctl reconcile",
                                                              choices: ["kustomization", "helmrelease", "source"])),
    ]

    @Test(arguments: rejected)
    func rejectsBadInput(_ case: Rejected) {
        do {
            let parsed = try parser.parse(`case`.argv)
            Issue.record("parsed as \(parsed.path.displayName) \(parsed.arguments.values)")
        } catch let failure as UsageFailure {
            #expect(failure.error == `case`.error)
        } catch {
            Issue.record("unexpected error \(error)")
        }
    }

    @Test func helpFlagSkipsArgumentChecks() throws {
        let parsed = try parser.parse(["reconcile", "ks", "--help"])
        #expect(parsed.helpRequested)
        #expect(parsed.path.displayName == "gitopsctl reconcile kustomization")
    }

    @Test func typedAccessorsApplyDefaultsAndCommaLists() throws {
        let parsed = try parser.parse(["encrypt", "--age", "age1a,age1b", "--age", "age1c", "f.yaml"])
        #expect(parsed.arguments.strings("age") == ["age1a", "age1b", "age1c"])
        #expect(parsed.arguments.flag("in-place") == false)
        let reconcile = try parser.parse(["reconcile", "ks", "apps"])
        #expect(reconcile.arguments.string("namespace") == "flux-system")
        #expect(reconcile.arguments.duration("timeout") == .seconds(300))
        #expect(reconcile.arguments.isSet("timeout") == false)
        let resume = try parser.parse(["resume", "ks", "apps"])
        #expect(resume.arguments.flag("wait"))
        let noWait = try parser.parse(["resume", "ks", "apps", "--wait=false"])
        #expect(noWait.arguments.flag("wait") == false)
    }

    @Test func everyCommandHasUniqueNamesAndOptions() {
        func check(_ path: CommandPath) {
            let command = path.command
            let words = command.subcommands.flatMap { [$0.name] + $0.aliases }
            #expect(Set(words).count == words.count, "duplicate subcommand word under \(path.displayName)")
            let longs = command.acceptedOptions.map(\.long)
            #expect(Set(longs).count == longs.count, "duplicate option in \(path.displayName)")
            let shorts = command.acceptedOptions.compactMap(\.short)
            #expect(Set(shorts).count == shorts.count, "duplicate short option in \(path.displayName)")
            #expect(command.body != nil || !command.subcommands.isEmpty, "\(path.displayName) can never run")
            for sub in command.subcommands { check(path.appending(sub)) }
        }
        check(CommandPath(commands: [CommandTree.root()]))
    }
}

@Suite struct GoDurationTests {
    @Test(arguments: [
        ("30s", Duration.seconds(30)), ("5m", .seconds(300)), ("1h", .seconds(3600)),
        ("1h30m", .seconds(5400)), ("1.5h", .seconds(5400)), ("250ms", .milliseconds(250)),
        ("0", .zero), ("2h45m30s", .seconds(9930)), ("10us", .microseconds(10)),
    ])
    func parsesGoDurations(_ text: String, _ expected: Duration) throws {
        #expect(try GoDuration.parse(text) == expected)
    }

    @Test(arguments: ["abc", "5", "", "m", "1x", "1h-5m", ".", "5 m"])
    func rejectsOtherText(_ text: String) {
        #expect(throws: GoDuration.Invalid.self) { try GoDuration.parse(text) }
    }
}

@Suite struct SuggestionTests {
    @Test(arguments: [
        ("reconcil", ["reconcile", "resume", "rotate"], "reconcile"),
        ("--forse", ["--force", "--reset", "--timeout"], "--force"),
        ("rec", ["reconcile", "resume"], "reconcile"),
        ("getz", ["get", "tree"], "get"),
    ])
    func suggestsTheClosest(_ word: String, _ candidates: [String], _ expected: String) {
        #expect(Suggestion.closest(to: word, among: candidates) == expected)
    }

    @Test func suggestsNothingWhenNothingIsClose() {
        #expect(Suggestion.closest(to: "--frobnicate", among: ["--force", "--namespace"]) == nil)
    }
}
