import Foundation

/// The outcome of running a child process to completion.
public struct ProcessResult: Sendable {
    public var status: Int32
    public var stdout: Data
    public var stderr: Data
    public var stdoutText: String { String(decoding: stdout, as: UTF8.self) }
    public var stderrText: String { String(decoding: stderr, as: UTF8.self) }
}

/// Runs programs the way a user's shell would, for black-box and interop tests.
public enum ProcessRunner {
    /// Runs `executable` with `arguments`, feeding `stdin`, and collects both outputs.
    /// `environment` entries are added to (or, with a nil value, removed from) the current one.
    public static func run(_ executable: URL, _ arguments: [String], stdin: Data = Data(),
                           environment: [String: String?] = [:], in directory: URL? = nil) throws -> ProcessResult {
        ignoreBrokenPipes
        var env = ProcessInfo.processInfo.environment
        for (key, value) in environment { env[key] = value }
        let child = try ChildSpawn.start(executable.path, arguments, environment: env, directory: directory?.path,
                                         stdin: true, stdout: true, stderr: true)
        guard let input = child.stdin, let output = child.stdout, let errors = child.stderr else {
            throw KubeAPIServerError(message: "no pipes for \(executable.path)")
        }

        // Drain both pipes concurrently so a chatty child never blocks on a full pipe. Dedicated
        // threads, not Dispatch's global queue: async tests block their pool threads while
        // waiting for children, and drains queued behind them would stall every test at once.
        let outBox = DataBox(), errBox = DataBox()
        let group = DispatchGroup()
        for (handle, box) in [(output, outBox), (errors, errBox)] {
            group.enter()
            Thread { box.data = handle.readDataToEndOfFile(); group.leave() }.start()
        }
        if !stdin.isEmpty { try? input.write(contentsOf: stdin) }
        try? input.close()
        let status = ChildExit.wait(for: child.pid)
        group.wait()
        return ProcessResult(status: status, stdout: outBox.data, stderr: errBox.data)
    }

    /// Runs a program found on PATH (`age`, `sops`, `kubectl`, `git`, `bash`).
    public static func run(tool: String, _ arguments: [String], stdin: Data = Data(),
                           environment: [String: String?] = [:], in directory: URL? = nil) throws -> ProcessResult {
        try run(URL(fileURLWithPath: "/usr/bin/env"), [tool] + arguments, stdin: stdin,
                environment: environment, in: directory)
    }

    /// Runs the gitopsctl binary under test.
    public static func gitopsctl(_ arguments: [String], stdin: Data = Data(),
                                 environment: [String: String?] = [:], in directory: URL? = nil) throws -> ProcessResult {
        try run(TestPaths.binary, arguments, stdin: stdin, environment: environment, in: directory)
    }

    /// Whether a tool is on PATH (interop tests require it; CI installs it).
    public static func has(tool: String) -> Bool {
        (try? run(tool: "sh", ["-c", "command -v \(tool)"]).status) == 0
    }
}

/// A child that exits before reading all of its stdin would otherwise kill the whole test
/// process with SIGPIPE when we write to the pipe; the write fails with EPIPE instead.
private let ignoreBrokenPipes: Void = { signal(SIGPIPE, SIG_IGN); return () }()

private final class DataBox: @unchecked Sendable { var data = Data() }
