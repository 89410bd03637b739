import Foundation

/// `resume`: removes `spec.suspend`, which bumps the generation, then (unless told not to) waits
/// for the controller to reconcile that generation, every object concurrently under one deadline
/// (flux2 `resume.go`). Results are sorted by name, as flux prints them.
public struct Resumer: Sendable {
    public let client: KubeClient
    public let events: WorkflowEvents

    public init(client: KubeClient, events: @escaping WorkflowEvents = { _ in }) {
        self.client = client
        self.events = events
    }

    public func resume(_ kind: FluxKind, _ selection: FluxObjectSelection, wait: Bool,
                       timeout: Double) async throws(ReconcileError) -> [SuspensionResult] {
        let targets = try await SuspensionTargets(client: client).resolve(kind, selection)
        let suspender = Suspender(client: client, events: events)
        var patched: [SuspensionResult] = []
        for target in targets {
            patched.append(await suspender.patch(kind, target, suspend: false, verb: ("resuming", "resumed")))
        }
        guard wait else { return patched }
        let deadline = ReconcileDeadline(seconds: timeout)
        let reconciler = Reconciler(client: client, events: events)
        let waited = await withTaskGroup(of: SuspensionResult.self) { group in
            for result in patched where result.succeeded {
                group.addTask {
                    var outcome = result
                    do {
                        let final = try await reconciler.waitForOutcome(kind, name: result.name, namespace: result.namespace,
                                                                        token: nil, waitForRetry: false, deadline: deadline)
                        outcome.message = kind.behaviour.successMessage(final)
                    } catch {
                        outcome.succeeded = false
                        outcome.message = String(describing: error)
                    }
                    return outcome
                }
            }
            var collected: [SuspensionResult] = []
            for await result in group { collected.append(result) }
            return collected
        }
        for result in waited.sorted(by: { ($0.name, $0.namespace) < ($1.name, $1.namespace) }) {
            if result.succeeded {
                events(.success("\(kind.kind) \(result.name) reconciliation completed"))
                events(.success(result.message))
            } else {
                events(.failure(result.message))
            }
        }
        let failedPatches = patched.filter { !$0.succeeded }
        return (failedPatches + waited).sorted { ($0.name, $0.namespace) < ($1.name, $1.namespace) }
    }
}
