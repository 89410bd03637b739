import Foundation
import Testing
import TestSupport

/// The generated scripts in real shells, with the built binary first on PATH.
@Suite struct ShellCompletionTests {
    static var environment: [String: String?] {
        let binDir = TestPaths.binary.deletingLastPathComponent().path
        return ["PATH": binDir + ":" + (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin")]
    }

    /// Runs bash's completion function the way readline would: COMP_WORDS/COMP_CWORD set from the
    /// line (a trailing space starts a new, empty word), COMPREPLY printed one per line.
    static func bashComplete(_ line: String, in directory: URL? = nil) throws -> [String] {
        let script = """
        source "$1"
        read -ra COMP_WORDS <<< "$2"
        [[ $2 == *" " ]] && COMP_WORDS+=("")
        COMP_CWORD=$(( ${#COMP_WORDS[@]} - 1 ))
        COMP_LINE=$2; COMP_POINT=${#2}
        COMPREPLY=()
        _gitopsctl
        printf '%s\\n' "${COMPREPLY[@]}"
        """
        let completions = TestPaths.repoRoot.appendingPathComponent("completions/gitopsctl.bash").path
        let result = try ProcessRunner.run(tool: "bash", ["--norc", "--noprofile", "-c", script, "bash", completions, line],
                                           environment: environment, in: directory)
        #expect(result.status == 0, "\(result.stderrText)")
        #expect(result.stderrText.isEmpty)
        return result.stdoutText.split(separator: "\n").map(String.init)
    }

    @Test(arguments: [
        ("gitopsctl rec", ["reconcile"]),
        ("gitopsctl reconcile ", ["kustomization", "helmrelease", "source"]),
        ("gitopsctl reconcile ks apps -o ", ["text", "json", "yaml"]),
        ("gitopsctl get ks -o ", ["table", "json", "yaml"]),
        ("gitopsctl get hr --output j", ["json"]),
        ("gitopsctl tree ks flux-system -o ", ["text", "json", "yaml", "dot", "mermaid"]),
        ("gitopsctl reconcile hr podinfo --f", ["--force"]),
        ("gitopsctl completion ", ["bash", "zsh", "fish"]),
        ("gitopsctl help recon", ["reconcile"]),
        ("gitopsctl reconcile ks apps --timeout 1", ["1m", "10m", "1h"]),
        ("gitopsctl encrypt --input-type ", ["yaml", "json", "dotenv", "binary"]),
    ])
    func bashCompletes(_ line: String, _ expected: [String]) throws {
        #expect(try Self.bashComplete(line) == expected)
    }

    @Test func bashCompletesFileNamesForFileArguments() throws {
        let dir = try TemporaryDirectory()
        try dir.write("secret.yaml", "a: b\n")
        try dir.write("sub/other.yaml", "a: b\n")
        #expect(try Self.bashComplete("gitopsctl decrypt sec", in: dir.url) == ["secret.yaml"])
        #expect(try Self.bashComplete("gitopsctl build s", in: dir.url) == ["sub"])
    }

    @Test func zshLoadsTheScript() throws {
        guard ProcessRunner.has(tool: "zsh") else { return }
        let script = TestPaths.repoRoot.appendingPathComponent("completions/_gitopsctl").path
        let result = try ProcessRunner.run(tool: "zsh", ["-f", "-c",
            "autoload -Uz compinit && compinit -u -D && source \"$1\" && print -r -- ${_comps[gitopsctl]}", "zsh", script],
            environment: Self.environment)
        #expect(result.status == 0, "\(result.stderrText)")
        #expect(result.stderrText.isEmpty)
        #expect(result.stdoutText == "_gitopsctl\n")
    }

    @Test func fishLoadsAndCompletes() throws {
        guard ProcessRunner.has(tool: "fish") else { return }
        let script = TestPaths.repoRoot.appendingPathComponent("completions/gitopsctl.fish").path
        let result = try ProcessRunner.run(tool: "fish", ["--no-config", "-c",
            "source $argv[1]; and complete -C 'gitopsctl rec'; and complete -C 'gitopsctl get ks -o '", script],
            environment: Self.environment)
        #expect(result.status == 0, "\(result.stderrText)")
        #expect(result.stderrText.isEmpty)
        #expect(result.stdoutText == "reconcile\tAsk Flux to reconcile an object now and wait for the result\njson\ntable\nyaml\n") // fish sorts
    }
}
