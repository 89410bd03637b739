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
        if patchItems.contains(where: { $0["$patch"]?.scalar == "replace" }) {
            return YAMLNode(sequence: patchItems.filter { $0["$patch"]?.scalar != "replace" }.map(stripDirectives))
        }
        guard let key = mergeKey(path: path, kind: kind, target: target, patch: patch) else {
            return stripDirectives(patch)
        }
        // kyaml lists the patch's elements first, in patch order (merged with their
        // counterparts), then the target's elements the patch did not name.
        var remaining = target.items
        var items: [YAMLNode] = []
        for element in patchItems {
            guard element.isMapping, let keyValue = element[key] else {
                items.append(stripDirectives(element))
                continue
            }
            let index = remaining.firstIndex { $0[key] == keyValue }
            let counterpart = index.map { remaining.remove(at: $0) }
            if element["$patch"]?.scalar == "delete" { continue }
            if let counterpart {
                if let merged = mergeMap(counterpart, element, path: path + ["[]"], kind: kind) { items.append(merged) }
            } else {
                items.append(stripDirectives(element))
            }
        }
        items += remaining
        return YAMLNode(sequence: items)
    }

    /// The merge key of a list in a built-in kind (`kind` is empty for custom resources).
    static func mergeKey(path: [String], kind: String, target: YAMLNode, patch: YAMLNode) -> String? {
        guard !kind.isEmpty, let field = path.last else { return nil }
        if field == "ports" {
            if kind == "Service" && path == ["spec", "ports"] { return "port" }
            return path.dropLast().last == "[]" ? "containerPort" : nil
        }
        return mergeKeys[field]
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
