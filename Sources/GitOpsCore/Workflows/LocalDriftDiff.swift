/// Drift between a live object and its server-side dry-run apply, decided and shown as
/// fluxcd/pkg ssa does for `flux diff ks`: labels, annotations, then everything outside
/// `metadata` and `status`; the diff leaves out what the server manages and masks Secret data.
enum LocalDriftDiff {
    static func drifted(live: KubeObject, dryRun: KubeObject) -> Bool {
        if live.labels != dryRun.labels || live.annotations != dryRun.annotations { return true }
        return body(live) != body(dryRun)
    }

    private static func body(_ object: KubeObject) -> KubeJSON {
        var json = object.json
        json.set("metadata", nil)
        json.set("status", nil)
        return json
    }

    /// A unified diff of the live object against the dry-run result.
    static func render(live: KubeObject, dryRun: KubeObject) -> String {
        var old = shown(live), new = shown(dryRun)
        if live.kind == "Secret", live.groupVersionKind.group.isEmpty { mask(&old, &new) }
        return UnifiedDiff().render(path: live.reference, old: old.pretty + "\n", new: new.pretty + "\n")
    }

    private static func shown(_ object: KubeObject) -> KubeJSON {
        var json = object.json
        for path in ["metadata.managedFields", "metadata.resourceVersion", "metadata.generation", "status"] {
            json.set(path: path, nil)
        }
        return json
    }

    /// ssa `SanitizeUnstructuredData`: equal values become `***`, changed ones `*** (before)` and
    /// `*** (after)`, so a diff says which keys changed without showing a value.
    static func mask(_ old: inout KubeJSON, _ new: inout KubeJSON) {
        let before = old["data"]?.objectValue ?? [], after = new["data"]?.objectValue ?? []
        let afterValues = Dictionary(after.map { ($0.key, $0.value) }, uniquingKeysWith: { first, _ in first })
        let beforeValues = Dictionary(before.map { ($0.key, $0.value) }, uniquingKeysWith: { first, _ in first })
        func masked(_ pairs: [(key: String, value: KubeJSON)], _ other: [String: KubeJSON], _ changed: String)
            -> KubeJSON {
            .object(pairs.map { pair in
                guard let counterpart = other[pair.key], counterpart != pair.value else { return (pair.key, .string("***")) }
                return (pair.key, .string(changed))
            })
        }
        if old["data"] != nil { old.set("data", masked(before, afterValues, "*** (before)")) }
        if new["data"] != nil { new.set("data", masked(after, beforeValues, "*** (after)")) }
    }
}
