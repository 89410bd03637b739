/// Runs a body over the positions `0..<count` with at most `width` in flight, results in input
/// order. Applies to the API server share this so they reuse a bounded number of connections.
enum BoundedParallel {
    /// Every outcome, in input order. With `stopOnFailure`, the first failure cancels what is
    /// running and starts nothing more; the positions never run are nil.
    static func map<T: Sendable>(_ count: Int, width: Int, stopOnFailure: Bool = false,
                                 _ body: @escaping @Sendable (Int) async throws -> T) async -> [Result<T, KubeError>?] {
        var results = [Result<T, KubeError>?](repeating: nil, count: count)
        await withTaskGroup(of: (Int, Result<T, KubeError>).self) { group in
            var next = 0
            var stopped = false
            func start() {
                guard !stopped, next < count else { return }
                let position = next
                next += 1
                group.addTask {
                    do { return (position, .success(try await body(position))) } catch let error as KubeError {
                        return (position, .failure(error))
                    } catch {
                        return (position, .failure(.transport(server: "", reason: "cancelled")))
                    }
                }
            }
            for _ in 0..<max(1, width) { start() }
            while let (position, result) = await group.next() {
                results[position] = result
                if stopOnFailure, case .failure = result, !stopped {
                    stopped = true
                    group.cancelAll()
                }
                start()
            }
        }
        return results
    }
}
