import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Waits for a child with waitpid(2) instead of Foundation's `waitUntilExit`, which waits for
/// Foundation's process-manager thread to notice the exit. In one CI run, with tests starting
/// many children in parallel, two test servers had died (zombies, never reaped) and
/// `waitUntilExit` never returned; the whole suite hung. waitpid reaps the child itself.
enum ChildExit {
    /// The child's exit status (or the signal that ended it, as Foundation reports it).
    static func wait(for process: Process) -> Int32 {
        let pid = process.processIdentifier
        var status: Int32 = 0
        while true {
            let result = waitpid(pid, &status, 0)
            if result == pid { break }
            if result == -1, errno == EINTR { continue }
            // Foundation reaped it first: its own record of the exit is complete.
            process.waitUntilExit()
            return process.terminationStatus
        }
        // WIFSIGNALED/WTERMSIG and WEXITSTATUS are macros Swift does not import.
        let signal = status & 0x7f
        return signal == 0 ? (status >> 8) & 0xff : signal
    }
}

/// Starting children without leaking one test's pipes into another test's children. Foundation
/// creates pipes without close-on-exec and spawns without closing other descriptors, so a child
/// started by one test inherits the pipe ends another test made at the same moment; a long-lived
/// test server holding the write end of someone's stdout pipe means that reader never sees EOF
/// (a CI run hung that way). Pipes are made close-on-exec, and every spawn of the test support
/// takes the same lock, so no spawn of ours happens between a pipe's creation and its flagging.
enum ChildSpawn {
    private static let lock = NSLock()

    /// The pipes wired to the child's standard streams, as asked for.
    struct Pipes {
        var stdin: Pipe?
        var stdout: Pipe?
        var stderr: Pipe?
    }

    static func start(_ process: Process, stdin: Bool, stdout: Bool, stderr: Bool) throws -> Pipes {
        try lock.withLock {
            let pipes = Pipes(stdin: stdin ? Pipe() : nil, stdout: stdout ? Pipe() : nil, stderr: stderr ? Pipe() : nil)
            for pipe in [pipes.stdin, pipes.stdout, pipes.stderr].compactMap({ $0 }) {
                for descriptor in [pipe.fileHandleForReading.fileDescriptor, pipe.fileHandleForWriting.fileDescriptor] {
                    _ = fcntl(descriptor, F_SETFD, FD_CLOEXEC)
                }
            }
            if let pipe = pipes.stdin { process.standardInput = pipe }
            if let pipe = pipes.stdout { process.standardOutput = pipe }
            if let pipe = pipes.stderr { process.standardError = pipe }
            try process.run()
            return pipes
        }
    }
}
