/// kustomize-controller's per-object switches (labels or annotations under
/// `kustomize.toolkit.fluxcd.io/`), matched as fluxcd/pkg ssa's `AnyInMetadata` does: a
/// non-empty label or annotation whose value equals the switch value ignoring case.
enum LocalApplySwitches {
    static let prefix = "kustomize.toolkit.fluxcd.io/"

    static func has(_ object: KubeObject?, _ name: String, _ value: String) -> Bool {
        guard let object else { return false }
        let key = prefix + name
        return [object.labels[key], object.annotations[key]].contains { text in
            guard let text, !text.isEmpty else { return false }
            return text.caseInsensitiveCompare(value) == .orderedSame
        }
    }

    /// Never applied: `reconcile: disabled` or `ssa: Ignore` on the built or the live object.
    static func excluded(desired: KubeObject, live: KubeObject?) -> Bool {
        for object in [desired, live] where has(object, "reconcile", "disabled") || has(object, "ssa", "Ignore") {
            return true
        }
        return false
    }

    /// `ssa: IfNotPresent` on the built object: created when absent, never patched afterwards.
    static func createOnly(desired: KubeObject, live: KubeObject?) -> Bool {
        live?.uid != nil && has(desired, "ssa", "IfNotPresent")
    }

    /// `force: enabled` on the built or the live object (or `spec.force`) recreates an object whose
    /// apply fails on an immutable field.
    static func forced(desired: KubeObject, live: KubeObject?, specForce: Bool) -> Bool {
        specForce || has(desired, "force", "enabled") || has(live, "force", "enabled")
    }

    /// `ssa: Merge` skips the metadata cleanup, so fields that kubectl or another tool owns stay theirs.
    static func merges(desired: KubeObject, live: KubeObject?) -> Bool {
        has(desired, "ssa", "Merge") || has(live, "ssa", "Merge")
    }

    /// Never garbage-collected: `prune: disabled`, `reconcile: disabled` or `ssa: Ignore` on the live object.
    static func keptFromPrune(_ live: KubeObject) -> Bool {
        has(live, "prune", "disabled") || has(live, "reconcile", "disabled") || has(live, "ssa", "Ignore")
    }
}
