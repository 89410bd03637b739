/// A program to run as a child of gitopsctl, and how its standard streams are wired.
///
/// Foundation's `Process` on Linux makes its pipes without close-on-exec and spawns without
/// closing other descriptors, so a child started on one thread inherited pipe ends another
/// thread had just made, and that pipe's reader never saw EOF. This spawns with
/// `posix_spawnp`, makes every pipe close-on-exec, and closes every descriptor above 2 in the
/// child, so a child holds exactly the three streams set here.
///
/// Arguments and environment may hold secrets: nothing here logs them, and errors name only
/// the program.
struct ChildProcess: Sendable {
    /// A program name looked up on `PATH` (as `execvp` does), or a path containing a `/`.
    var program: String
    var arguments: [String]
    var environment: Environment = .inherited(adding: [:])
    /// Where the child starts; nil keeps the current directory.
    var workingDirectory: String?
    var standardInput: Input = .nullDevice
    var standardOutput: Output = .captured
    var standardError: Output = .captured
    /// How long the child may run: after it the child gets SIGTERM, and SIGKILL when it is
    /// still there `terminationGrace` later. nil waits as long as the child runs, and as long as
    /// any descendant it left behind keeps a captured stream open (as a shell pipeline would).
    var timeout: Duration?
    var terminationGrace: Duration = .seconds(2)

    init(program: String, arguments: [String] = []) {
        self.program = program
        self.arguments = arguments
    }

    /// The child's environment.
    enum Environment: Sendable, Equatable {
        /// This process's environment, with these variables set on top.
        case inherited(adding: [String: String])
        /// Exactly these variables.
        case exactly([String: String])
    }

    /// What the child reads on descriptor 0.
    enum Input: Sendable, Equatable {
        /// `/dev/null`: the child reads EOF at once.
        case nullDevice
        /// This process's own standard input (a terminal, for an editor or a login prompt).
        case inherited
        /// These bytes, then EOF.
        case bytes([UInt8])
    }

    /// Where the child's descriptor 1 or 2 goes.
    enum Output: Sendable, Equatable {
        /// Into the result's `standardOutput` / `standardError`.
        case captured
        /// This process's own descriptor of the same number.
        case inherited
        /// `/dev/null`.
        case discarded
    }

    /// Starts the child, feeds its input, collects its output and waits for it to end.
    func run() throws(ChildProcessError) -> ChildProcessResult {
        if let workingDirectory, !PosixSpawn.isDirectory(workingDirectory) {
            throw .noWorkingDirectory(program: program, path: workingDirectory)
        }
        do throws(PosixSpawn.Failure) {
            var streams = try ChildStreams(input: standardInput, output: standardOutput, error: standardError)
            defer { streams.closeAll() }
            let pid: Int32
            do throws(PosixSpawn.Failure) {
                pid = try PosixSpawn.spawn(program: program, arguments: arguments, environment: environmentEntries(),
                                           workingDirectory: workingDirectory, descriptors: streams.childDescriptors)
            } catch {
                streams.closeAll()
                throw error
            }
            // The child has its copies; ours must go, or the reads below would never see EOF.
            streams.closeChildEnds()
            do throws(PosixSpawn.Failure) {
                return try supervise(pid, &streams)
            } catch {
                PosixSpawn.sendKill(pid)
                _ = try? PosixSpawn.waitForExit(pid, until: nil)
                throw error
            }
        } catch {
            throw ChildProcessError(spawnFailure: error, program: program)
        }
    }

    /// Pumps the streams until they close, sending SIGTERM then SIGKILL when the timeout passes,
    /// and reaps the child. Only a reaped child's pid can be reused, so the signals never reach
    /// another process.
    private func supervise(_ pid: Int32, _ streams: inout ChildStreams) throws(PosixSpawn.Failure) -> ChildProcessResult {
        let clock = ContinuousClock()
        var deadline = timeout.map { clock.now + $0 }
        var signalSent: Int32?
        while true {
            let finished = try PosixSpawn.withBrokenPipeBlocked { () throws(PosixSpawn.Failure) -> Bool in
                try streams.pump(until: deadline)
            }
            if finished, let status = try PosixSpawn.waitForExit(pid, until: deadline) {
                let termination: ChildProcessResult.Termination = switch (signalSent, timeout) {
                case let (.some(signal), .some(limit)): .timedOut(after: limit, signalSent: signal)
                default: status
                }
                return ChildProcessResult(termination: termination, standardOutput: streams.collectedOutput,
                                          standardError: streams.collectedError)
            }
            // The deadline passed with the child (or a descendant holding its pipes) still there.
            switch signalSent {
            case nil:
                signalSent = PosixSpawn.sendTerminate(pid)
                deadline = clock.now + terminationGrace
            default:
                signalSent = PosixSpawn.sendKill(pid)
                // A descendant may keep the pipes open forever: keep what has arrived, stop reading.
                streams.drainAndClose()
                deadline = nil
            }
        }
    }

    private func environmentEntries() -> [String] {
        let variables: [String: String]
        switch environment {
        case let .exactly(exact): variables = exact
        case let .inherited(adding: added):
            variables = PosixSpawn.currentEnvironment().merging(added) { _, new in new }
        }
        return variables.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }
    }
}
