import Foundation
import Testing
import TestSupport

/// Every bad command line a user can type, through the built binary: exit status, the `✗`
/// line, the "did you mean" line and the one-line usage hint, on stderr with stdout empty.
@Suite struct BadInputTests {
    struct Case: Sendable, CustomTestStringConvertible {
        var argv: [String]
        var status: Int32
        var lines: [String]
        var testDescription: String { argv.joined(separator: " ") }
    }

    static let cases: [Case] = [
        Case(argv: ["reconcile", "hr", "podinfo", "--frobnicate"], status: 2, lines: [
            "✗ unknown flag --frobnicate",
            "Usage: gitopsctl reconcile helmrelease NAME [flags]  (see 'gitopsctl reconcile helmrelease --help')",
        ]),
        Case(argv: ["reconcile", "hr", "podinfo", "--forse"], status: 2, lines: [
            "✗ unknown flag --forse",
            "  did you mean --force?",
            "Usage: gitopsctl reconcile helmrelease NAME [flags]  (see 'gitopsctl reconcile helmrelease --help')",
        ]),
        Case(argv: ["reconcil", "ks", "apps"], status: 2, lines: [
            "✗ unknown command \"reconcil\" for \"gitopsctl\"",
            "  did you mean \"reconcile\"?",
            "Usage: gitopsctl COMMAND  (see 'gitopsctl --help')",
        ]),
        Case(argv: ["reconcile", "ks"], status: 2, lines: [
            "✗ missing argument NAME",
            "Usage: gitopsctl reconcile kustomization NAME [flags]  (see 'gitopsctl reconcile kustomization --help')",
        ]),
        Case(argv: ["reconcile", "ks", "apps", "--timeout", "abc"], status: 2, lines: [
            "✗ invalid duration \"abc\" for --timeout: use a number and a unit: 30s, 5m, 1h, or combined like 1h30m (units: ns, us, ms, s, m, h)",
            "Usage: gitopsctl reconcile kustomization NAME [flags]  (see 'gitopsctl reconcile kustomization --help')",
        ]),
        Case(argv: ["get", "ks", "-o", "xml"], status: 2, lines: [
            "✗ invalid value \"xml\" for --output: choose one of table, json, yaml",
            "Usage: gitopsctl get kustomizations [NAME] [flags]  (see 'gitopsctl get kustomizations --help')",
        ]),
        Case(argv: ["version", "-o", "xml"], status: 2, lines: [
            "✗ invalid value \"xml\" for --output: choose one of text, json, yaml",
            "Usage: gitopsctl version [flags]  (see 'gitopsctl version --help')",
        ]),
        Case(argv: ["decrypt"], status: 2, lines: [
            "✗ missing argument FILE (or -r DIR)",
            "Usage: gitopsctl decrypt [FILE…] [flags]  (see 'gitopsctl decrypt --help')",
        ]),
        Case(argv: ["reconcile", "ks", "apps", "-n"], status: 2, lines: [
            "✗ flag --namespace needs a value",
            "Usage: gitopsctl reconcile kustomization NAME [flags]  (see 'gitopsctl reconcile kustomization --help')",
        ]),
        Case(argv: ["help", "frobnicate"], status: 2, lines: [
            "✗ unknown command \"frobnicate\" for \"gitopsctl\"",
            "Usage: gitopsctl help [COMMAND…] [flags]  (see 'gitopsctl help --help')",
        ]),
        Case(argv: ["completion", "tcsh"], status: 2, lines: [
            "✗ invalid value \"tcsh\" for SHELL: choose one of bash, zsh, fish",
            "Usage: gitopsctl completion SHELL [flags]  (see 'gitopsctl completion --help')",
        ]),
    ]

    @Test(arguments: cases)
    func usageErrorsExitTwoWithAHint(_ case: Case) throws {
        let result = try ProcessRunner.gitopsctl(`case`.argv)
        #expect(result.status == `case`.status)
        #expect(result.stdoutText.isEmpty)
        #expect(result.stderrText == `case`.lines.map { $0 + "\n" }.joined())
    }

    @Test func noColorWhenStderrIsNotATerminal() throws {
        let result = try ProcessRunner.gitopsctl(["reconcile", "ks"])
        #expect(!result.stderrText.contains("\u{1B}["))
    }
}

/// Colour through a real pseudo-terminal (util-linux `script`): on for a terminal, off with
/// NO_COLOR or --no-color.
@Suite struct TerminalColourTests {
    static func onTerminal(_ arguments: String, environment: [String: String?] = [:]) throws -> String {
        let command = "\(TestPaths.binary.path) \(arguments)"
        let result = try ProcessRunner.run(tool: "script", ["-qec", command, "/dev/null"], environment: environment)
        return result.stdoutText
    }

    @Test func colourOnlyOnATerminalWithoutOptOut() throws {
        guard ProcessRunner.has(tool: "script") else { return }
        let coloured = try Self.onTerminal("reconcile ks", environment: ["NO_COLOR": nil])
        #expect(coloured.hasPrefix("\u{1B}[31m✗\u{1B}[0m missing argument NAME"), "\(coloured.debugDescription)")
        #expect(try Self.onTerminal("reconcile ks", environment: ["NO_COLOR": "1"]).hasPrefix("✗ missing argument NAME"))
        #expect(try Self.onTerminal("--no-color reconcile ks").hasPrefix("✗ missing argument NAME"))
    }
}
