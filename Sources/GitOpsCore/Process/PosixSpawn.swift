#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// The libc calls that start, signal and reap a child: `posix_spawnp` with a clean signal
/// state and no descriptors but 0, 1 and 2, and `waitpid`.
enum PosixSpawn {
    /// What went wrong, before `ChildProcessError` names the program.
    enum Failure: Error, Equatable {
        case notFound
        case notExecutable(String)
        case call(String, String)

        static func call(_ name: String, errno code: Int32) -> Failure {
            .call(name, String(cString: strerror(code)))
        }
    }

    /// What the child's descriptor 0, 1 or 2 becomes.
    enum Descriptor: Equatable {
        case inherited
        case nullDevice(writable: Bool)
        /// This (close-on-exec) descriptor, duplicated onto the target.
        case pipe(Int32)
    }

    /// Starts `program` (looked up on this process's PATH when it has no `/`, as execvp does) and
    /// returns its pid. `descriptors` are for the child's 0, 1 and 2, in that order.
    static func spawn(program: String, arguments: [String], environment: [String], workingDirectory: String?,
                      descriptors: [Descriptor]) throws(Failure) -> Int32 {
        var actions = emptyFileActions()
        guard posix_spawn_file_actions_init(&actions) == 0 else { throw .call("posix_spawn_file_actions_init", errno: errno) }
        defer { posix_spawn_file_actions_destroy(&actions) }
        var attributes = emptyAttributes()
        guard posix_spawnattr_init(&attributes) == 0 else { throw .call("posix_spawnattr_init", errno: errno) }
        defer { posix_spawnattr_destroy(&attributes) }

        try wire(descriptors, into: &actions)
        try closeOthers(&actions)
        if let workingDirectory { try changeDirectory(&actions, to: workingDirectory) }
        try cleanSignals(&attributes)

        let argv = ([program] + arguments).map { strdup($0) } + [nil]
        let envp = environment.map { strdup($0) } + [nil]
        defer {
            argv.forEach { free($0) }
            envp.forEach { free($0) }
        }
        var pid: pid_t = 0
        let code = posix_spawnp(&pid, program, &actions, &attributes, argv, envp)
        switch code {
        case 0: return pid
        case ENOENT, ENOTDIR: throw .notFound
        case EACCES: throw .notExecutable("permission denied")
        // glibc's posix_spawnp, unlike execvp, does not hand a file without #! to /bin/sh (nor does Go's exec).
        case ENOEXEC: throw .notExecutable("not an executable program (a script needs a #! line)")
        default: throw .notExecutable(String(cString: strerror(code)))
        }
    }

    private static func wire(_ descriptors: [Descriptor], into actions: inout posix_spawn_file_actions_t) throws(Failure) {
        for (target, descriptor) in descriptors.enumerated() {
            let code: Int32
            switch descriptor {
            case .inherited:
                #if canImport(Darwin)
                // POSIX_SPAWN_CLOEXEC_DEFAULT would close it too.
                code = posix_spawn_file_actions_addinherit_np(&actions, Int32(target))
                #else
                code = 0
                #endif
            case let .nullDevice(writable):
                code = posix_spawn_file_actions_addopen(&actions, Int32(target), "/dev/null", writable ? O_WRONLY : O_RDONLY, 0)
            case let .pipe(descriptor):
                code = posix_spawn_file_actions_adddup2(&actions, descriptor, Int32(target))
            }
            guard code == 0 else { throw .call("posix_spawn_file_actions", errno: code) }
        }
    }

    /// No descriptor above 2 reaches the child, whoever opened it and however it was flagged.
    private static func closeOthers(_ actions: inout posix_spawn_file_actions_t) throws(Failure) {
        #if canImport(Glibc)
        // glibc 2.34+; older ones still get our own pipes closed by their close-on-exec flag.
        guard let addCloseFrom = GNUFunctions.addCloseFrom else { return }
        let code = addCloseFrom(&actions, 3)
        guard code == 0 else { throw .call("posix_spawn_file_actions_addclosefrom_np", errno: code) }
        #endif
    }

    private static func changeDirectory(_ actions: inout posix_spawn_file_actions_t, to path: String) throws(Failure) {
        #if canImport(Glibc)
        guard let addChdir = GNUFunctions.addChdir else {
            throw .call("posix_spawn_file_actions_addchdir_np", "this C library (glibc before 2.29) lacks it")
        }
        let code = addChdir(&actions, path)
        #else
        let code = posix_spawn_file_actions_addchdir_np(&actions, path)
        #endif
        guard code == 0 else { throw .call("posix_spawn_file_actions_addchdir_np", errno: code) }
    }

    /// The child starts with no blocked signals and default dispositions. Swift Testing's and
    /// Dispatch's worker threads block most signals, and a spawn inherits the calling thread's
    /// mask: a child started from one ignored SIGTERM (swift-corelibs-foundation #4772).
    private static func cleanSignals(_ attributes: inout posix_spawnattr_t) throws(Failure) {
        var none = sigset_t()
        sigemptyset(&none)
        var all = sigset_t()
        sigfillset(&all)
        sigdelset(&all, SIGKILL)
        sigdelset(&all, SIGSTOP)
        var flags = Int32(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF)
        #if canImport(Darwin)
        flags |= Int32(POSIX_SPAWN_CLOEXEC_DEFAULT)
        #endif
        guard posix_spawnattr_setsigmask(&attributes, &none) == 0,
              posix_spawnattr_setsigdefault(&attributes, &all) == 0,
              posix_spawnattr_setflags(&attributes, Int16(flags)) == 0 else {
            throw .call("posix_spawnattr", errno: errno)
        }
    }

    /// Reaps the child: blocking without a deadline; with one, nil when it is still running then.
    static func waitForExit(_ pid: Int32, until deadline: ContinuousClock.Instant?) throws(Failure)
        -> ChildProcessResult.Termination? {
        var pause: UInt32 = 1_000
        while true {
            var status: Int32 = 0
            let result = waitpid(pid, &status, deadline == nil ? 0 : WNOHANG)
            if result == pid { return termination(status) }
            if result == -1 {
                if errno == EINTR { continue }
                throw .call("waitpid", errno: errno)
            }
            guard let deadline, ContinuousClock.now < deadline else { return nil }
            usleep(pause)
            pause = min(pause * 2, 50_000)
        }
    }

    /// WIFEXITED/WEXITSTATUS/WTERMSIG are macros Swift does not import.
    private static func termination(_ status: Int32) -> ChildProcessResult.Termination {
        let signal = status & 0x7f
        return signal == 0 ? .exited((status >> 8) & 0xff) : .signalled(signal)
    }

    /// Sends SIGTERM; returns it.
    @discardableResult
    static func sendTerminate(_ pid: Int32) -> Int32 {
        _ = kill(pid, SIGTERM)
        return SIGTERM
    }

    /// Sends SIGKILL; returns it.
    @discardableResult
    static func sendKill(_ pid: Int32) -> Int32 {
        _ = kill(pid, SIGKILL)
        return SIGKILL
    }

    static func isDirectory(_ path: String) -> Bool {
        var info = stat()
        return stat(path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFDIR
    }

    static func currentEnvironment() -> [String: String] {
        ProcessInfo.processInfo.environment
    }

    /// Runs `body` with SIGPIPE blocked on this thread, so a write to a child that closed its
    /// input fails with EPIPE instead of killing gitopsctl, and swallows the SIGPIPE that write
    /// left pending. (On macOS the pipe itself is made F_SETNOSIGPIPE.)
    static func withBrokenPipeBlocked<T, E: Error>(_ body: () throws(E) -> T) throws(E) -> T {
        #if canImport(Glibc)
        var blocked = sigset_t()
        sigemptyset(&blocked)
        sigaddset(&blocked, SIGPIPE)
        var previous = sigset_t()
        pthread_sigmask(SIG_BLOCK, &blocked, &previous)
        defer {
            var pending = sigset_t()
            sigpending(&pending)
            if sigismember(&pending, SIGPIPE) == 1, sigismember(&previous, SIGPIPE) == 0 {
                var now = timespec()
                _ = sigtimedwait(&blocked, nil, &now)
            }
            pthread_sigmask(SIG_SETMASK, &previous, nil)
        }
        #endif
        return try body()
    }

    #if canImport(Darwin)
    private static func emptyFileActions() -> posix_spawn_file_actions_t { nil }
    private static func emptyAttributes() -> posix_spawnattr_t { nil }
    #else
    private static func emptyFileActions() -> posix_spawn_file_actions_t { posix_spawn_file_actions_t() }
    private static func emptyAttributes() -> posix_spawnattr_t { posix_spawnattr_t() }
    #endif
}

#if canImport(Glibc)
/// glibc functions its headers declare only under _GNU_SOURCE, which Swift's Glibc module is
/// not built with; looked up by name once (a missing one means an older glibc).
enum GNUFunctions {
    typealias Pipe2 = @convention(c) (UnsafeMutablePointer<Int32>?, Int32) -> Int32
    typealias AddCloseFrom = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>?, Int32) -> Int32
    typealias AddChdir = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>?, UnsafePointer<CChar>?) -> Int32

    static let pipe2: Pipe2? = symbol("pipe2", as: Pipe2.self)
    static let addCloseFrom: AddCloseFrom? = symbol("posix_spawn_file_actions_addclosefrom_np", as: AddCloseFrom.self)
    static let addChdir: AddChdir? = symbol("posix_spawn_file_actions_addchdir_np", as: AddChdir.self)

    private static func symbol<Function>(_ name: String, as type: Function.Type) -> Function? {
        // A nil handle is RTLD_DEFAULT: the global scope, where libc is.
        dlsym(nil, name).map { unsafeBitCast($0, to: type) }
    }
}
#endif
