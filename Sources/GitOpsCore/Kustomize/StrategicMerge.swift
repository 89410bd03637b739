/// Strategic merge patches as kustomize applies them (kyaml merge2): maps merge key by key,
/// `null` deletes, lists of objects in built-in kinds merge by their schema's patch merge
/// key, other lists (and every list of a custom resource, which has no schema) are replaced,
/// and `$patch: delete|replace` is honoured. kustomize treats `$setElementOrder/…` and
/// `$retainKeys` as ordinary keys (they reach its output), so this does too.
enum StrategicMerge {
    /// API groups whose kinds kustomize's built-in OpenAPI schema describes.
    static let builtinGroups: Set<String> = [
        "", "apps", "batch", "policy", "autoscaling", "networking.k8s.io", "rbac.authorization.k8s.io",
        "storage.k8s.io", "admissionregistration.k8s.io", "scheduling.k8s.io", "coordination.k8s.io",
        "discovery.k8s.io", "node.k8s.io", "apiextensions.k8s.io", "apiregistration.k8s.io",
        "certificates.k8s.io", "events.k8s.io", "flowcontrol.apiserver.k8s.io", "resource.k8s.io",
    ]

    /// `patchMergeKey`s of the Kubernetes types by list field name.
    static let mergeKeys: [String: String] = [
        "containers": "name", "initContainers": "name", "ephemeralContainers": "name", "env": "name",
        "volumes": "name", "volumeMounts": "mountPath", "volumeDevices": "devicePath",
        "imagePullSecrets": "name", "hostAliases": "ip", "topologySpreadConstraints": "topologyKey",
        "resourceClaims": "name", "schedulingGates": "name", "conditions": "type", "ownerReferences": "uid",
        "webhooks": "name", "secrets": "name",
    ]

    enum Outcome {
        case merged(YAMLNode)
        /// The patch said `$patch: delete` for the whole object.
        case deleteObject
    }

    static func apply(_ patch: YAMLNode, to target: YAMLNode, gvk: GroupVersionKind) -> Outcome {
        let kind = builtinGroups.contains(gvk.group) ? gvk.kind : ""
        if patch["$patch"]?.scalar == "delete" { return .deleteObject }
        return .merged(mergeMap(target, patch, path: [], kind: kind) ?? YAMLNode(mapping: []))
    }

    /// Merges `patch` into `target`; nil when the result is a deletion.
    private static func mergeMap(_ target: YAMLNode, _ patch: YAMLNode, path: [String], kind: String) -> YAMLNode? {
        switch patch["$patch"]?.scalar {
        case "delete": return nil
        case "replace": return stripDirectives(patch)
        default: break
        }
        var result = target.isMapping ? target : YAMLNode(mapping: [])
        for pair in patch.entries {
            guard let key = pair.key.scalar else { continue }
            if key == "$patch" { continue }
            let value = pair.value
            if value.isNullScalar && value.isScalar {
                result.removeValue(forKey: key)
                continue
            }
            let existing = result[key]
            if value.isMapping {
                if let existing, existing.isMapping {
                    if let merged = mergeMap(existing, value, path: path + [key], kind: kind) {
                        result[key] = merged
                    } else {
                        result.removeValue(forKey: key)
                    }
                } else if value["$patch"]?.scalar != "delete" {
                    result[key] = stripDirectives(value)
                }
            } else if value.isSequence, let existing, existing.isSequence {
                result[key] = mergeList(existing, value, path: path + [key], kind: kind)
            } else {
                result[key] = stripDirectives(value)
            }
        }
        return result
    }

    private static func mergeList(_ target: YAMLNode, _ patch: YAMLNode, path: [String], kind: String) -> YAMLNode {
        let patchItems = patch.items
        if patchItems.contains(where: { $0.isMapping && $0["$patch"]?.scalar == "replace" && $0.entries.count == 1 }) {
            return YAMLNode(sequence: patchItems.filter { $0["$patch"]?.scalar != "replace" }.map(stripDirectives))
        }
        guard let keys = mergeKeys(path: path, kind: kind) else {
            // `metadata.finalizers` merges as a set: the patch's values first, then the
            // target's others (kyaml's prepend direction).
            if !kind.isEmpty && path == ["metadata", "finalizers"] {
                var seen = Set<String>()
                let union = (patchItems + target.items).filter { seen.insert($0.scalar ?? "").inserted }
                return YAMLNode(sequence: union)
            }
            // A custom resource's list is replaced by the patch's as written, directives and all.
            return kind.isEmpty ? patch : stripDirectives(patch)
        }
        let primary = keys[0]
        // kyaml uses a second key (`protocol` of ports) only when some element sets it; then
        // the target's elements keep their order after the patch's new ones, otherwise the
        // patch's elements come first in patch order, then the target's others.
        let secondary = keys.dropFirst().first.flatMap { key in
            (target.items + patchItems).contains { $0[key]?.scalar != nil } ? key : nil
        }
        func same(_ a: YAMLNode, _ b: YAMLNode) -> Bool {
            guard let x = a[primary]?.scalar, x == b[primary]?.scalar else { return false }
            guard let secondary, let p = a[secondary]?.scalar, let q = b[secondary]?.scalar else { return true }
            return p == q
        }
        enum Slot { case new(YAMLNode), target(Int) }
        var targetItems: [YAMLNode?] = target.items
        var claimed = Set<Int>()
        var slots: [Slot] = []
        for element in patchItems {
            guard element.isMapping, element[primary]?.scalar != nil else {
                slots.append(.new(stripDirectives(element)))
                continue
            }
            let index = targetItems.indices.first { !claimed.contains($0) && targetItems[$0].map { same($0, element) } == true }
            if let index { claimed.insert(index) }
            switch element["$patch"]?.scalar {
            case "delete":
                if let index { targetItems[index] = nil }
                continue
            case "replace":
                // kyaml leaves the target's element as it was for an element-level replace.
                if let index { slots.append(.target(index)) } else { slots.append(.new(stripDirectives(element))) }
                continue
            default:
                break
            }
            if let index, let counterpart = targetItems[index] {
                targetItems[index] = mergeMap(counterpart, element, path: path + ["[]"], kind: kind)
                slots.append(.target(index))
            } else {
                slots.append(.new(stripDirectives(element)))
            }
        }
        var items: [YAMLNode] = []
        if secondary != nil {
            for slot in slots { if case .new(let node) = slot { items.append(node) } }
            items += targetItems.compactMap { $0 }
        } else {
            var placed = Set<Int>()
            for slot in slots {
                switch slot {
                case .new(let node): items.append(node)
                case .target(let i):
                    placed.insert(i)
                    if let node = targetItems[i] { items.append(node) }
                }
            }
            for (i, node) in targetItems.enumerated() where !placed.contains(i) { if let node { items.append(node) } }
        }
        return YAMLNode(sequence: items)
    }

    /// The merge keys of a list in a built-in kind (`kind` is empty for custom resources):
    /// the patch merge key, then the list-map key kyaml also uses when elements set it.
    static func mergeKeys(path: [String], kind: String) -> [String]? {
        guard !kind.isEmpty, let field = path.last else { return nil }
        if field == "ports" {
            if kind == "Service" && path == ["spec", "ports"] { return ["port", "protocol"] }
            return path.dropLast().last == "[]" ? ["containerPort", "protocol"] : nil
        }
        if field == "topologySpreadConstraints" { return ["topologyKey", "whenUnsatisfiable"] }
        return mergeKeys[field].map { [$0] }
    }

    /// The patch without directive keys, as it lands where the target had nothing.
    static func stripDirectives(_ node: YAMLNode) -> YAMLNode {
        switch node.content {
        case .mapping(let pairs):
            var out = node
            out.content = .mapping(pairs.compactMap { pair in
                guard let key = pair.key.scalar else { return pair }
                if key == "$patch" { return nil }
                return YAMLPair(key: pair.key, value: stripDirectives(pair.value))
            })
            return out
        case .sequence(let items):
            var out = node
            out.content = .sequence(items.filter { $0["$patch"]?.scalar != "delete" }.map(stripDirectives))
            return out
        case .scalar:
            return node
        }
    }
}
