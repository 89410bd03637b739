/// How a `ChildProcess` ended, and what it wrote to the streams that were captured.
struct ChildProcessResult: Sendable, Equatable {
    /// Why the child is gone.
    enum Termination: Sendable, Equatable, CustomStringConvertible {
        /// It exited with this status.
        case exited(Int32)
        /// A signal it did not handle ended it (one not sent for a timeout).
        case signalled(Int32)
        /// It was still running when the timeout passed; `signalSent` is the last signal it
        /// needed: SIGTERM, or SIGKILL when SIGTERM did not end it within the grace period.
        case timedOut(after: Duration, signalSent: Int32)

        /// For error messages: "exit status 1", "killed by signal 9", "timed out after 10 seconds".
        var description: String {
            switch self {
            case let .exited(status): "exit status \(status)"
            case let .signalled(signal): "killed by signal \(signal)"
            case let .timedOut(limit, _): "timed out after \(limit.components.seconds) seconds"
            }
        }
    }

    var termination: Termination
    /// Empty unless standard output was `.captured`.
    var standardOutput: [UInt8]
    /// Empty unless standard error was `.captured`.
    var standardError: [UInt8]

    /// Exit status 0.
    var succeeded: Bool { termination == .exited(0) }
}
