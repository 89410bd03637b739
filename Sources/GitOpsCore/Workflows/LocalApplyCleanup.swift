/// The metadata cleanup kustomize-controller runs before applying an object that already exists
/// (fluxcd/pkg ssa `cleanupMetadata`): the kubectl annotations and labels Flux replaces go, and
/// the fields kubectl (client- or server-side), `before-first-apply` and the controller's own
/// pre-SSA updates own become the field manager's, so a field removed from Git is removed from
/// the cluster. Skipped for `ssa: Merge` objects: there the other managers keep their fields.
enum LocalApplyCleanup {
    static let annotations = ["kubectl.kubernetes.io/last-applied-configuration",
                              "kustomize.toolkit.fluxcd.io/checksum", "fluxcd.io/sync-checksum"]
    static let labels = ["fluxcd.io/sync-gc-mark"]

    /// kustomize-controller's list; names match as prefixes (ssa `FieldManager.ExactMatch` false).
    static func managers(fieldManager: String) -> [(name: String, operation: String)] {
        [("kubectl", "Apply"), ("kubectl", "Update"), ("before-first-apply", "Update"), (fieldManager, "Update")]
    }

    /// JSON patch operations for `live`; empty when nothing needs cleaning.
    static func patch(_ live: KubeObject, fieldManager: String) -> [KubeJSON] {
        var operations: [KubeJSON] = []
        let present = live.annotations
        for key in annotations where present[key] != nil {
            operations.append(remove("/metadata/annotations/" + escape(key)))
        }
        let labelled = live.labels
        for key in labels where labelled[key] != nil {
            operations.append(remove("/metadata/labels/" + escape(key)))
        }
        if let entries = mergedManagedFields(live.json.at("metadata.managedFields")?.arrayValue ?? [],
                                             fieldManager: fieldManager) {
            operations.append(.object([("op", .string("replace")), ("path", .string("/metadata/managedFields")),
                                       ("value", .array(entries))]))
        }
        return operations
    }

    /// ssa `PatchReplaceFieldsManagers`: the matching entries fold into the field manager's Apply
    /// entry (renamed when it has none yet); nil when no entry matches.
    static func mergedManagedFields(_ entries: [KubeJSON], fieldManager: String) -> [KubeJSON]? {
        let owned = entries.lastIndex { $0["manager"]?.stringValue == fieldManager && $0["operation"]?.stringValue == "Apply" }
        var mine = owned.map { entries[$0] }
        var kept: [KubeJSON] = []
        var edited = false
        for (index, entry) in entries.enumerated() where index != owned {
            guard matches(entry, managers(fieldManager: fieldManager)) else {
                kept.append(entry)
                continue
            }
            edited = true
            if var current = mine {
                current.set("fieldsV1", union(current["fieldsV1"], entry["fieldsV1"]))
                mine = current
            } else {
                var renamed = entry
                renamed.set("manager", .string(fieldManager))
                renamed.set("operation", .string("Apply"))
                mine = renamed
            }
        }
        guard edited, let mine else { return nil }
        return kept + [mine]
    }

    private static func matches(_ entry: KubeJSON, _ managers: [(name: String, operation: String)]) -> Bool {
        guard (entry["subresource"]?.stringValue ?? "").isEmpty, let manager = entry["manager"]?.stringValue else {
            return false
        }
        return managers.contains { manager.hasPrefix($0.name) && entry["operation"]?.stringValue == $0.operation }
    }

    /// The union of two `fieldsV1` sets: both are trees whose leaves are `{}`.
    static func union(_ a: KubeJSON?, _ b: KubeJSON?) -> KubeJSON? {
        guard let a, case let .object(left) = a else { return b }
        guard let b, case let .object(right) = b else { return a }
        var merged = KubeJSON.object(left)
        for (key, value) in right {
            merged.set(key, union(merged[key], value))
        }
        return merged
    }

    private static func remove(_ path: String) -> KubeJSON {
        .object([("op", .string("remove")), ("path", .string(path))])
    }

    private static func escape(_ key: String) -> String {
        key.replacingOccurrences(of: "~", with: "~0").replacingOccurrences(of: "/", with: "~1")
    }
}
