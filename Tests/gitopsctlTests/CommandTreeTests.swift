import Foundation
import Testing
import TestSupport
@testable import gitopsctl

@Suite struct CommandTreeTests {
    static let allPaths: [String] = ManPageRenderer(root: CommandTree.root(), version: "test").allPaths()
        .map { $0.commandName }

    /// Every declared command answers --help through the built binary, with its usage line.
    @Test(arguments: allPaths)
    func everyCommandHasHelp(_ command: String) throws {
        let words = command.split(separator: " ").map(String.init)
        let result = try ProcessRunner.gitopsctl(words + ["--help"])
        #expect(result.status == 0)
        #expect(result.stdoutText.contains("Usage:\n  gitopsctl \(command)".trimmingCharacters(in: .whitespaces)))
        #expect(result.stderrText.isEmpty)
    }

    /// A command whose implementation has not landed fails with exit 1 and says so, naming
    /// itself, instead of printing anything that could pass for a result.
    @Test func notImplementedNamesTheCommand() async throws {
        let root = Command(name: "gitopsctl", abstract: "root", subcommands: [
            Command(name: "frob", abstract: "frob", subcommands: [
                Command(name: "widget", abstract: "w", body: Command.notImplemented),
            ]),
        ])
        let parsed = try Parser(root: root).parse(["frob", "widget"])
        let invocation = Invocation(path: parsed.path, arguments: parsed.arguments,
                                    output: StandardOutput(color: false), reporter: Reporter(color: false),
                                    terminal: Terminal(stdoutIsTerminal: false, stderrIsTerminal: false, colorDisabled: true))
        let body = try #require(parsed.path.command.body)
        await #expect(throws: NotImplemented(command: "frob widget")) { try await body(invocation) }
        #expect(NotImplemented(command: "frob widget").description == "frob widget is not implemented yet")
        #expect(NotImplemented(command: "frob widget").exitCode == 1)
    }

    /// Every secrets command documents the sops exit codes in its help.
    @Test(arguments: ["encrypt", "decrypt", "edit", "updatekeys", "rotate"])
    func secretsCommandsDocumentSopsExitCodes(_ command: String) throws {
        let result = try ProcessRunner.gitopsctl([command, "--help"])
        #expect(result.stdoutText.contains("Exit status (as sops):"))
        #expect(result.stdoutText.contains("  51   MAC mismatch"))
        #expect(result.stdoutText.contains("  128  the data key could not be retrieved"))
    }
}
