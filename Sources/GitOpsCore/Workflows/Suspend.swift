/// Which objects `suspend`/`resume` act on: named ones in a namespace, or all of a kind.
public enum FluxObjectSelection: Sendable, Equatable {
    case named([String], namespace: String)
    /// Every object of the kind; namespace nil means all namespaces (`-A`).
    case all(namespace: String?)
}

/// What happened to one object of a `suspend` or `resume`.
public struct SuspensionResult: Sendable, Equatable {
    public var kind: FluxKind
    public var name: String
    public var namespace: String
    public var succeeded: Bool
    public var message: String
}

/// `suspend`: sets `spec.suspend: true` with a merge patch, as flux2 `suspend.go` does. Unlike
/// flux, a name that does not exist is a failure (reported, and the exit code says so).
public struct Suspender: Sendable {
    public let client: KubeClient
    public let events: WorkflowEvents

    public init(client: KubeClient, events: @escaping WorkflowEvents = { _ in }) {
        self.client = client
        self.events = events
    }

    public func suspend(_ kind: FluxKind, _ selection: FluxObjectSelection) async throws(ReconcileError) -> [SuspensionResult] {
        let targets = try await SuspensionTargets(client: client).resolve(kind, selection)
        var results: [SuspensionResult] = []
        for target in targets {
            results.append(await patch(kind, target, suspend: true, verb: ("suspending", "suspended")))
        }
        return results
    }

    func patch(_ kind: FluxKind, _ target: SuspensionTarget, suspend: Bool,
               verb: (doing: String, done: String)) async -> SuspensionResult {
        var result = SuspensionResult(kind: kind, name: target.name, namespace: target.namespace, succeeded: false, message: "")
        guard target.exists else {
            result.message = "\(kind.kind) \(target.name) not found in \(target.namespace) namespace"
            events(.failure(result.message))
            return result
        }
        events(.action("\(verb.doing) \(kind.humanKind) \(target.name) in \(target.namespace) namespace"))
        do {
            _ = try await client.patch(kind.groupVersionKind, name: target.name, namespace: target.namespace,
                                       Suspension.patch(suspend: suspend))
        } catch {
            result.message = "failed \(verb.doing) \(kind.kind) \(target.name) in \(target.namespace) namespace: \(error)"
            events(.failure(result.message))
            return result
        }
        result.succeeded = true
        result.message = "\(kind.humanKind) \(verb.done)"
        events(.success(result.message))
        return result
    }
}

/// One object a selection names, and whether the cluster has it.
struct SuspensionTarget: Sendable, Equatable {
    var name: String
    var namespace: String
    var exists: Bool
}

/// Resolves a selection to objects: names de-duplicated in the order given, `--all` listed.
struct SuspensionTargets {
    let client: KubeClient

    func resolve(_ kind: FluxKind, _ selection: FluxObjectSelection) async throws(ReconcileError) -> [SuspensionTarget] {
        switch selection {
        case let .named(names, namespace):
            var seen = Set<String>()
            var targets: [SuspensionTarget] = []
            for name in names where seen.insert(name).inserted {
                let found: KubeObject?
                do { found = try await client.getIfPresent(kind.groupVersionKind, name: name, namespace: namespace) } catch {
                    throw .cluster(error)
                }
                targets.append(SuspensionTarget(name: name, namespace: namespace, exists: found != nil))
            }
            return targets
        case let .all(namespace):
            let items: [KubeObject]
            do { items = try await client.list(kind.groupVersionKind, namespace: namespace).items } catch {
                throw .cluster(error)
            }
            guard !items.isEmpty else {
                throw .noObjects(kind: kind.kind, scope: namespace.map { "\($0) namespace" } ?? "any namespace")
            }
            return items.map { SuspensionTarget(name: $0.name, namespace: $0.namespace ?? "", exists: true) }
        }
    }
}
