/// Why a child program could not be started or supervised. Descriptions name the program but
/// never its arguments or environment, which may hold secrets.
enum ChildProcessError: UserFacingError, Equatable {
    /// No executable by that name on PATH (or no file at that path).
    case programNotFound(program: String)
    /// The program exists but could not be executed (permission, format, resources).
    case cannotStart(program: String, reason: String)
    /// The working directory asked for is not a directory.
    case noWorkingDirectory(program: String, path: String)
    /// A system call around the child failed (pipe, poll, waitpid).
    case system(program: String, call: String, reason: String)

    /// The program the error is about.
    var program: String {
        switch self {
        case let .programNotFound(program), let .cannotStart(program, _), let .noWorkingDirectory(program, _),
             let .system(program, _, _):
            program
        }
    }

    /// The failure without the program's name, for errors that name it themselves.
    var reason: String {
        switch self {
        case let .programNotFound(program):
            program.contains("/") ? "no such file" : "no such program on PATH"
        case let .cannotStart(_, reason): reason
        case let .noWorkingDirectory(_, path): "the working directory \(path) does not exist"
        case let .system(_, call, reason): "\(call) failed: \(reason)"
        }
    }

    var description: String { "cannot run \(program): \(reason)" }

    init(spawnFailure: PosixSpawn.Failure, program: String) {
        switch spawnFailure {
        case .notFound: self = .programNotFound(program: program)
        case let .notExecutable(reason): self = .cannotStart(program: program, reason: reason)
        case let .call(name, reason): self = .system(program: program, call: name, reason: reason)
        }
    }
}
