import Foundation

/// A helper child process that prints `READY <port>` as its first line and exits when its stdin
/// closes: the test API server, and the HTTP/2 front, CONNECT proxy and black hole beside it. It
/// is stopped when the value goes away (stdin EOF, then SIGKILL, because a child of a Swift
/// Testing thread inherits a blocked SIGTERM).
public final class ReadyProcess: @unchecked Sendable {
    public let port: Int
    private let pid: pid_t
    private let stdin: FileHandle

    /// Starts `arguments` through /usr/bin/env and waits for its READY line; `name` says what
    /// did not start when there is none.
    public init(_ arguments: [String], name: String) throws {
        let child = try ChildSpawn.start("/usr/bin/env", arguments, stdin: true, stdout: true, stderr: false)
        guard let input = child.stdin, let reader = child.stdout else {
            throw KubeAPIServerError(message: "no pipes for \(name)")
        }
        pid = child.pid
        stdin = input
        var line = Data()
        while !line.contains(UInt8(ascii: "\n")) {
            let chunk = reader.availableData
            if chunk.isEmpty { break }
            line += chunk
        }
        let text = String(decoding: line, as: UTF8.self)
        guard text.hasPrefix("READY "),
              let port = Int(text.dropFirst(6).trimmingCharacters(in: .whitespacesAndNewlines)) else {
            kill(pid, SIGKILL)
            _ = ChildExit.wait(for: pid)
            throw KubeAPIServerError(message: "\(name) did not start: \(text)")
        }
        self.port = port
    }

    deinit {
        try? stdin.close()
        kill(pid, SIGKILL)
        _ = ChildExit.wait(for: pid)
    }
}
