import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Waits for a child with waitpid(2), retrying on EINTR, and reaps it.
enum ChildExit {
    /// The child's exit status, or the number of the signal that ended it.
    static func wait(for pid: pid_t) -> Int32 {
        var status: Int32 = 0
        while waitpid(pid, &status, 0) == -1 {
            guard errno == EINTR else { return -1 }
        }
        // WIFSIGNALED/WTERMSIG and WEXITSTATUS are macros Swift does not import.
        let signal = status & 0x7f
        return signal == 0 ? (status >> 8) & 0xff : signal
    }
}

/// A child started by `ChildSpawn`, with the parent's ends of the pipes that were asked for.
struct SpawnedChild {
    let pid: pid_t
    var stdin: FileHandle?
    var stdout: FileHandle?
    var stderr: FileHandle?
}

/// Starts children with posix_spawn(3) directly, not Foundation's `Process`:
/// - `Process.run()` on Linux crashes now and then (a CI run here died of it): to close
///   descriptors in the child it copies each `/proc/self/fd` entry's whole 256-byte `d_name`,
///   reading past glibc's readdir buffer when an entry sits at its end
///   (swift-corelibs-foundation PR 5472).
/// - Foundation makes pipes without close-on-exec, so a child started by one test inherited the
///   pipe ends another test made at that moment; a long-lived test server holding the write end
///   of someone's stdout pipe meant that reader never saw EOF (a hung CI run). Pipes here are
///   flagged close-on-exec, and pipe creation and spawn happen under one lock, so no spawn of
///   ours falls between a pipe's creation and its flagging.
/// - `waitUntilExit` waited for Foundation's own thread to notice an exit, and once never did;
///   `ChildExit` reaps with waitpid.
/// Children start with no blocked signals and SIGPIPE at its default, whatever thread of the
/// test runner starts them.
enum ChildSpawn {
    private static let lock = NSLock()

    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    private typealias AddChdir = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>,
                                                 UnsafePointer<CChar>) -> Int32

    /// posix_spawn_file_actions_addchdir_np (glibc 2.29, macOS 10.15), which Swift's Glibc module
    /// does not declare.
    private static let addChdir: AddChdir? = {
        #if os(Linux)
        let everywhere = UnsafeMutableRawPointer(bitPattern: 0)
        #else
        let everywhere = UnsafeMutableRawPointer(bitPattern: -2)
        #endif
        return dlsym(everywhere, "posix_spawn_file_actions_addchdir_np").map { unsafeBitCast($0, to: AddChdir.self) }
    }()

    static func start(_ executable: String, _ arguments: [String], environment: [String: String]? = nil,
                      directory: String? = nil, stdin: Bool, stdout: Bool, stderr: Bool) throws -> SpawnedChild {
        try lock.withLock {
            var parentEnds: [Int32: Int32] = [:], childEnds: [Int32] = []
            var actions = posix_spawn_file_actions_t()
            posix_spawn_file_actions_init(&actions)
            defer {
                posix_spawn_file_actions_destroy(&actions)
                childEnds.forEach { _ = close($0) }
            }
            for (stream, wanted) in [(STDIN_FILENO, stdin), (STDOUT_FILENO, stdout), (STDERR_FILENO, stderr)] where wanted {
                var ends: [Int32] = [0, 0]
                guard pipe(&ends) == 0 else {
                    parentEnds.values.forEach { _ = close($0) }
                    throw Failure(description: "pipe: \(String(cString: strerror(errno)))")
                }
                ends.forEach { _ = fcntl($0, F_SETFD, FD_CLOEXEC) }
                let (parent, child) = stream == STDIN_FILENO ? (ends[1], ends[0]) : (ends[0], ends[1])
                parentEnds[stream] = parent
                childEnds.append(child)
                posix_spawn_file_actions_adddup2(&actions, child, stream)
            }
            if let directory {
                guard let addChdir = Self.addChdir, addChdir(&actions, directory) == 0 else {
                    parentEnds.values.forEach { _ = close($0) }
                    throw Failure(description: "cannot start \(executable) in \(directory)")
                }
            }

            var attributes = posix_spawnattr_t()
            posix_spawnattr_init(&attributes)
            defer { posix_spawnattr_destroy(&attributes) }
            var noSignals = sigset_t(), defaults = sigset_t()
            sigemptyset(&noSignals)
            sigemptyset(&defaults)
            sigaddset(&defaults, SIGPIPE)
            posix_spawnattr_setsigmask(&attributes, &noSignals)
            posix_spawnattr_setsigdefault(&attributes, &defaults)
            posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))

            let argv = ([executable] + arguments).map { strdup($0) }
            let envp = (environment ?? ProcessInfo.processInfo.environment).map { strdup("\($0.key)=\($0.value)") }
            defer { (argv + envp).forEach { free($0) } }
            var pid: pid_t = 0
            let result = posix_spawn(&pid, executable, &actions, &attributes, argv + [nil], envp + [nil])
            guard result == 0 else {
                parentEnds.values.forEach { _ = close($0) }
                throw Failure(description: "cannot start \(executable): \(String(cString: strerror(result)))")
            }
            func handle(_ stream: Int32) -> FileHandle? {
                parentEnds[stream].map { FileHandle(fileDescriptor: $0, closeOnDealloc: true) }
            }
            return SpawnedChild(pid: pid, stdin: handle(STDIN_FILENO), stdout: handle(STDOUT_FILENO),
                                stderr: handle(STDERR_FILENO))
        }
    }
}
