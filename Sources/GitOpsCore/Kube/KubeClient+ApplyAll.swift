extension KubeClient {
    /// Server-side applies `objects` with at most `parallelism` requests in flight, reusing the
    /// transport's connections; results come back in input order. The first failure cancels
    /// the rest and is thrown.
    public func applyAll(_ objects: [KubeObject], fieldManager: String = "gitopsctl", force: Bool = false,
                         parallelism: Int = 8, mode: WriteMode = .persist) async throws(KubeError) -> [KubeObject] {
        let width = max(1, parallelism)
        var results = [KubeObject?](repeating: nil, count: objects.count)
        do {
            try await withThrowingTaskGroup(of: (Int, KubeObject).self) { group in
                var next = 0
                func start() {
                    guard next < objects.count else { return }
                    let index = next
                    next += 1
                    group.addTask {
                        (index, try await self.apply(objects[index], fieldManager: fieldManager, force: force, mode: mode))
                    }
                }
                for _ in 0..<width { start() }
                while let (index, applied) = try await group.next() {
                    results[index] = applied
                    start()
                }
            }
        } catch let error as KubeError {
            throw error
        } catch {
            throw .transport(server: transport.serverName, reason: "cancelled")
        }
        return results.compactMap { $0 }
    }
}
