/// Runs a throwing body over items with at most `width` in flight, keeping every outcome (not
/// only the first failure), so a failed stage can say which objects did reach the server.
enum LocalReconcileParallel {
    static func map<T: Sendable>(_ items: [Int], width: Int,
                                 _ body: @escaping @Sendable (Int) async throws -> T) async
        -> [Result<T, KubeError>] {
        var results = [Result<T, KubeError>?](repeating: nil, count: items.count)
        await withTaskGroup(of: (Int, Result<T, KubeError>).self) { group in
            var next = 0
            func start() {
                guard next < items.count else { return }
                let position = next
                next += 1
                group.addTask {
                    do { return (position, .success(try await body(items[position]))) } catch let error as KubeError {
                        return (position, .failure(error))
                    } catch {
                        return (position, .failure(.transport(server: "", reason: "\(error)")))
                    }
                }
            }
            for _ in 0..<max(1, width) { start() }
            while let (position, result) = await group.next() {
                results[position] = result
                start()
            }
        }
        return results.map { $0 ?? .failure(.transport(server: "", reason: "not run")) }
    }
}
