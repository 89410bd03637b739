import Foundation

/// Runs blocking test plumbing (starting a test server, waiting for a child process such as
/// curl, kubectl or the gitopsctl binary) on a thread of its own and awaits it. Called directly
/// from an async test, such work would block one of the few Swift concurrency pool threads
/// (two on a two-core machine) and stall the tasks of every other test queued behind it, which
/// turns short deadlines in those tests into flakes.
public func offPool<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        Thread.detachNewThread { continuation.resume(with: Result { try body() }) }
    }
}

extension ProcessRunner {
    /// `gitopsctl(_:stdin:environment:in:)` for async tests: waits for the binary off the pool.
    public static func gitopsctlOffPool(_ arguments: [String], stdin: Data = Data(),
                                        environment: [String: String?] = [:],
                                        in directory: URL? = nil) async throws -> ProcessResult {
        try await offPool { try gitopsctl(arguments, stdin: stdin, environment: environment, in: directory) }
    }
}
