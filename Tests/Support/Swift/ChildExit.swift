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
