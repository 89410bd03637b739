import Foundation

/// What a wait decided after looking at the object.
public enum WaitVerdict: Sendable, Equatable {
    case done
    case keepWaiting(String)
    case failed(String)

    /// The usual rule: kstatus Current ends the wait, Failed fails it.
    public static func settled(_ object: KubeObject?) -> WaitVerdict {
        switch ObjectStatus.of(object) {
        case .current: return .done
        case let .failed(message): return .failed(message)
        case let status: return .keepWaiting(status.message)
        }
    }

    /// For deletions: done once the object is gone.
    public static func gone(_ object: KubeObject?) -> WaitVerdict {
        object == nil ? .done : .keepWaiting("\(object?.reference ?? "object") still exists")
    }
}

/// Waits for one object to reach a state: reads it, then follows a watch on it (or polls, when
/// the server refuses to watch) until the verdict is done or failed or the deadline passes.
/// Each change of the verdict's message goes to `progress`, for the CLI's `◎ waiting` line.
public struct KubeWaiter: Sendable {
    public let client: KubeClient
    public var pollInterval: Double = 2

    public init(client: KubeClient) { self.client = client }

    public func wait(for kind: GroupVersionKind, name: String, namespace: String?, timeout: Double,
                     until verdict: @escaping @Sendable (KubeObject?) -> WaitVerdict = WaitVerdict.settled,
                     progress: @escaping @Sendable (String) -> Void = { _ in }) async throws(KubeError) -> KubeObject? {
        let reference = [kind.kind, namespace, name].compactMap { $0 }.joined(separator: "/")
        let last = LastMessage()
        do {
            return try await withThrowingTaskGroup(of: KubeObject?.self) { group in
                group.addTask {
                    try await follow(kind, name: name, namespace: namespace, verdict: verdict) { message in
                        if last.replace(message) { progress(message) }
                    }
                }
                group.addTask {
                    try await Task.sleep(nanoseconds: UInt64(timeout * 1_000_000_000))
                    return try await lastLook(kind, name: name, namespace: namespace, verdict: verdict,
                                              reference: reference, timeout: timeout, last: last)
                }
                defer { group.cancelAll() }
                return try await group.next() ?? nil
            }
        } catch let error as KubeError {
            throw error
        } catch {
            throw .waitTimedOut(object: reference, seconds: timeout, lastStatus: last.value)
        }
    }

    /// At the deadline, one more read decides: a process that was suspended or starved of CPU
    /// (a laptop lid, a loaded CI runner) can reach its deadline before it ever looked at an
    /// object that has long been ready, and must not report a timeout for it.
    private func lastLook(_ kind: GroupVersionKind, name: String, namespace: String?,
                          verdict: @Sendable (KubeObject?) -> WaitVerdict, reference: String,
                          timeout: Double, last: LastMessage) async throws -> KubeObject? {
        guard let object = try? await client.getIfPresent(kind, name: name, namespace: namespace) else {
            throw KubeError.waitTimedOut(object: reference, seconds: timeout, lastStatus: last.value)
        }
        switch verdict(object) {
        case .done: return object
        case let .failed(message): throw KubeError.waitFailed(object: reference, message: message)
        case let .keepWaiting(message):
            throw KubeError.waitTimedOut(object: reference, seconds: timeout, lastStatus: message)
        }
    }

    private func follow(_ kind: GroupVersionKind, name: String, namespace: String?,
                        verdict: @Sendable (KubeObject?) -> WaitVerdict,
                        report: (String) -> Void) async throws -> KubeObject? {
        let reference = [kind.kind, namespace, name].compactMap { $0 }.joined(separator: "/")
        func judge(_ object: KubeObject?) throws -> Bool {
            switch verdict(object) {
            case .done: return true
            case let .keepWaiting(message): report(message); return false
            case let .failed(message): throw KubeError.waitFailed(object: reference, message: message)
            }
        }
        let list = try await client.list(kind, namespace: namespace, fieldSelector: "metadata.name=\(name)")
        var current = list.items.first
        if try judge(current) { return current }
        do {
            for try await event in client.watch(kind, namespace: namespace, fieldSelector: "metadata.name=\(name)",
                                                resourceVersion: list.resourceVersion) {
                switch event {
                case let .added(object), let .modified(object): current = object
                case .deleted: current = nil
                case .bookmark: continue
                }
                if try judge(current) { return current }
            }
        } catch let error as KubeError where error.reason == .methodNotAllowed || error.reason == .forbidden {
            return try await poll(kind, name: name, namespace: namespace, judge: judge)
        }
        return current
    }

    private func poll(_ kind: GroupVersionKind, name: String, namespace: String?,
                      judge: (KubeObject?) throws -> Bool) async throws -> KubeObject? {
        while true {
            try await Task.sleep(nanoseconds: UInt64(pollInterval * 1_000_000_000))
            let object = try await client.getIfPresent(kind, name: name, namespace: namespace)
            if try judge(object) { return object }
        }
    }
}

/// The last progress message, shared by the watching task and the deadline task.
private final class LastMessage: @unchecked Sendable {
    private let lock = NSLock()
    private var text = "no status yet"

    var value: String {
        lock.lock()
        defer { lock.unlock() }
        return text
    }

    func replace(_ new: String) -> Bool {
        lock.lock()
        defer { lock.unlock() }
        guard new != text else { return false }
        text = new
        return true
    }
}
