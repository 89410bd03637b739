#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import GitOpsCore

/// What the secrets commands share: the workspace for this invocation, the files named on
/// the command line or found with `-r DIR`, and the per-file report for several files.
extension Invocation {
    var sopsWorkspace: SopsWorkspace {
        SopsWorkspace(configPath: arguments.string("config"))
    }

    /// FILE arguments, then the files below `-r DIR` that a creation rule covers.
    func secretFiles(_ workspace: SopsWorkspace) throws -> [String] {
        var files = arguments.positionals
        if let directory = arguments.string("recursive") { files += try workspace.files(under: directory) }
        guard !files.isEmpty else { throw usageError(.missingArgument("FILE (or -r DIR)")) }
        return files
    }

    func sopsFormat(_ option: String) throws -> SopsFormat? {
        try arguments.string(option).map { name throws in try SopsFormat(name: name) }
    }

    /// Runs `body` on each file. One file named directly: its error propagates with sops's exit
    /// code. Several (or `-r`): one line per file, carry on past failures, exit 1 if any failed.
    func forEachSecretFile(_ files: [String], _ body: (String) throws -> String?) throws -> ExitStatus {
        if files.count == 1 && !arguments.isSet("recursive") {
            if let message = try body(files[0]) { reporter.success(message) }
            return 0
        }
        var failed = 0
        for file in files {
            do {
                if let message = try body(file) { reporter.success(message) }
            } catch let error as UserFacingError {
                failed += 1
                reporter.failure("\(file): \(error.description)")
            }
        }
        if failed > 0 { reporter.failure("\(failed) of \(files.count) files failed") }
        return failed > 0 ? 1 : 0
    }

    /// Writes a command's result: in place, to `--output`, or to stdout.
    func writeSecretResult(_ bytes: [UInt8], for file: String, _ workspace: SopsWorkspace, mode: mode_t) throws {
        if arguments.flag("in-place") {
            try workspace.write(bytes, to: file)
        } else if let output = arguments.string("output") {
            try workspace.write(bytes, to: output, mode: mode)
        } else {
            self.output.write(bytes: bytes)
        }
    }

    var stdinIsTerminal: Bool { isatty(STDIN_FILENO) == 1 }
}
