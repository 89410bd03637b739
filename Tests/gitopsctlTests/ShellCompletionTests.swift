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

    /// Types the line and a TAB into an interactive bash on a pseudo-terminal with the script
    /// sourced, then ends the line (Ctrl-U) and runs a marker command. Returns the terminal's
    /// lines, each cut at its first carriage return (where readline redraws the prompt).
    static func bashTab(_ line: String) throws -> [String] {
        let driver = """
        import os, pty, select, sys, time
        script, line = sys.argv[1], sys.argv[2]
        pid, fd = pty.fork()
        if pid == 0:
            os.environ.update(PS1="PROMPT> ", TERM="dumb", INPUTRC="/dev/null")
            os.execvp("bash", ["bash", "--norc", "--noprofile", "-i"])
        def read_until(marker):
            buf, end = b"", time.time() + 60
            while marker not in buf and time.time() < end:
                if select.select([fd], [], [], 0.5)[0]:
                    try:
                        buf += os.read(fd, 4096)
                    except OSError:
                        break
            return buf
        # Markers are computed by the shell, so the echo of the typed command never matches them.
        def run(command):
            os.write(fd, command.encode() + b"; echo __D$((40+2))__\\n")
            read_until(b"__D42__\\r\\nPROMPT> ")
        read_until(b"PROMPT> ")
        run("bind 'set show-all-if-ambiguous on'; bind 'set completion-query-items 0'; bind 'set page-completions off'")
        run("source " + script)
        os.write(fd, line.encode() + b"\\t")
        os.write(fd, b"\\x15echo __E$((40+2))__\\n")
        out = read_until(b"__E42__\\r\\nPROMPT> ")
        os.write(fd, b"exit\\n")
        os.waitpid(pid, 0)
        sys.stdout.write(out.decode(errors="replace"))
        """
        let completions = TestPaths.repoRoot.appendingPathComponent("completions/gitopsctl.bash").path
        let result = try ProcessRunner.run(tool: "python3", ["-c", driver, completions, line], environment: environment)
        #expect(result.status == 0, "\(result.stderrText)")
        return result.stdoutText.components(separatedBy: "\r\n").map { String($0.prefix { $0 != "\r" }) }
    }

    /// Real readline completion, not a simulated COMP_WORDS: a unique match is inserted into the
    /// line, several are listed under it.
    @Test func bashCompletesOnATerminal() throws {
        let unique = try Self.bashTab("gitopsctl rec")
        #expect(Array(unique.prefix(2)) == ["gitopsctl reconcile ", "__E42__"], "\(unique)")
        func listed(_ line: String) throws -> Set<String> {
            let lines = try Self.bashTab(line)
            guard lines.count > 2, lines[0] == line else {
                Issue.record("unexpected terminal output for \(line.debugDescription): \(lines)")
                return []
            }
            return Set(lines[1].split(separator: " ").map(String.init))
        }
        #expect(try listed("gitopsctl reconcile ") == ["kustomization", "helmrelease", "source"])
        #expect(try listed("gitopsctl get ks -o ") == ["table", "json", "yaml"])
        #expect(try listed("gitopsctl reconcile ks apps --output ") == ["text", "json", "yaml"])
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
