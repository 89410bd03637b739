extension KubeClient {
    /// Server-side applies `objects` with at most `parallelism` requests in flight, reusing the
    /// transport's connections; results come back in input order. The first failure cancels
    /// the rest and is thrown.
    public func applyAll(_ objects: [KubeObject], fieldManager: String = "gitopsctl", force: Bool = false,
                         parallelism: Int = 8, mode: WriteMode = .persist) async throws(KubeError) -> [KubeObject] {
        let results = await BoundedParallel.map(objects.count, width: parallelism, stopOnFailure: true) { index in
            try await self.apply(objects[index], fieldManager: fieldManager, force: force, mode: mode)
        }
        // The failure that stopped the run, not a cancellation it caused in a sibling.
        let failures = results.compactMap { result -> KubeError? in
            guard case let .failure(error)? = result else { return nil }
            return error
        }
        func isCancellation(_ error: KubeError) -> Bool {
            if case .transport(_, "cancelled") = error { return true }
            return false
        }
        if let failure = failures.first(where: { !isCancellation($0) }) ?? failures.first { throw failure }
        return results.compactMap { try? $0?.get() }
    }
}
