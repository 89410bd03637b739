import Foundation

/// The per-object half of fluxcd/pkg ssa's `ApplyAll` before anything is written: read the live
/// object, honour the kustomize-controller switches, dry-run apply, recreate on an immutable
/// field when forced, clean up kubectl's metadata (unless `ssa: Merge`), and decide whether the
/// object drifted.
struct LocalApplyPlanner: Sendable {
    /// What to report for an object and whether it still needs its real apply.
    struct Plan: Sendable {
        var change: LocalReconcileChange
        var apply: Bool
    }

    let client: KubeClient
    let fieldManager: String
    let dryRun: Bool
    /// `spec.force` of the Kustomization.
    let specForce: Bool

    func plan(_ object: KubeObject) async throws(KubeError) -> Plan {
        var live = try await client.getIfPresent(object.groupVersionKind, name: object.name, namespace: object.namespace)
        if LocalApplySwitches.excluded(desired: object, live: live) || LocalApplySwitches.createOnly(desired: object, live: live) {
            return Plan(change: LocalReconcileChange(reference: (live ?? object).reference, action: .skipped), apply: false)
        }
        let preview: KubeObject
        do {
            preview = try await client.apply(object, fieldManager: fieldManager, force: true, mode: .dryRun)
        } catch {
            guard let existing = live, Self.isImmutable(error),
                  LocalApplySwitches.forced(desired: object, live: existing, specForce: specForce) else { throw error }
            // `flux diff` reports a forced recreate as a creation without touching the cluster.
            if dryRun { return Plan(change: LocalReconcileChange(reference: object.reference, action: .created), apply: false) }
            try await recreate(existing)
            live = nil
            preview = try await client.apply(object, fieldManager: fieldManager, force: true, mode: .dryRun)
        }
        guard let existing = live else {
            return Plan(change: LocalReconcileChange(reference: object.reference, action: .created), apply: !dryRun)
        }
        var cleaned = false
        if !dryRun, !LocalApplySwitches.merges(desired: object, live: existing) {
            let operations = LocalApplyCleanup.patch(existing, fieldManager: fieldManager)
            if !operations.isEmpty {
                _ = try await client.patch(object.groupVersionKind, name: object.name, namespace: object.namespace,
                                           .json(operations), fieldManager: fieldManager)
                cleaned = true
            }
        }
        // Objects that did not drift are not applied, so their resourceVersion stays as it is.
        guard cleaned || LocalDriftDiff.drifted(live: existing, dryRun: preview) else {
            return Plan(change: LocalReconcileChange(reference: object.reference, action: .unchanged), apply: false)
        }
        let diff = dryRun ? LocalDriftDiff.render(live: existing, dryRun: preview) : nil
        return Plan(change: LocalReconcileChange(reference: object.reference, action: .configured, diff: diff), apply: !dryRun)
    }

    /// ssa `IsImmutableError`: kubectl's rule (Conflict or Invalid) plus the wording of CEL rules
    /// and admission webhooks.
    static func isImmutable(_ error: KubeError) -> Bool {
        guard case let .api(status) = error else { return false }
        if status.reason == .conflict || status.reason == .invalid { return true }
        return status.message.contains("is immutable") || status.message.contains("immutable field")
    }

    /// Deletes the live object in the background and waits until it is gone (finalizers may hold it).
    private func recreate(_ existing: KubeObject) async throws(KubeError) {
        let kind = existing.groupVersionKind
        do {
            try await client.delete(kind, name: existing.name, namespace: existing.namespace, propagation: .background)
        } catch {
            guard error.reason == .notFound else { throw error }
        }
        let deadline = Date().addingTimeInterval(60)
        while try await client.getIfPresent(kind, name: existing.name, namespace: existing.namespace) != nil {
            guard Date() < deadline else {
                throw .waitTimedOut(object: existing.reference, seconds: 60, lastStatus: "still being deleted")
            }
            try? await Task.sleep(for: .milliseconds(200))
        }
    }
}
