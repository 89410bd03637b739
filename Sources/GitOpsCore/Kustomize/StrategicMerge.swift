/// Strategic merge patches as kustomize applies them (kyaml merge2): maps merge key by key,
/// `null` deletes, lists of objects merge by their patch merge key, other lists are replaced,
/// and the `$patch: delete|replace` and `$setElementOrder`/`$retainKeys` directives are honoured.
enum StrategicMerge {
    /// Keys kyaml treats as a list's merge key when the first element has one, in this order
    /// (kyaml/yaml/fns.go AssociativeSequenceKeys).
    static let associativeKeys = ["mountPath", "devicePath", "ip", "type", "topologyKey", "name", "containerPort"]

    enum Outcome {
        case merged(YAMLNode)
        /// The patch said `$patch: delete` for the whole object.
        case deleteObject
    }

    static func apply(_ patch: YAMLNode, to target: YAMLNode, kind: String) -> Outcome {
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
            if key == "$patch" || key.hasPrefix("$setElementOrder/") || key == "$retainKeys" { continue }
            if key.hasPrefix("$deleteFromPrimitiveList/") {
                let field = String(key.dropFirst("$deleteFromPrimitiveList/".count))
                if var list = result[field] {
                    let drop = pair.value.items
                    list = YAMLNode(sequence: list.items.filter { !drop.contains($0) })
                    result[field] = list
                }
                continue
            }
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

    /// The merge key of a list: what the Kubernetes schema says for the fields whose key the
    /// inference would get wrong, otherwise kyaml's inference from the elements.
    static func mergeKey(path: [String], kind: String, target: YAMLNode, patch: YAMLNode) -> String? {
        let field = path.last ?? ""
        if field == "ports" {
            if kind == "Service" && path == ["spec", "ports"] { return "port" }
            if path.dropLast().last == "[]" { return "containerPort" }
        }
        if field == "tolerations" || field == "args" || field == "command" { return nil }
        let sample = patch.items.first { $0.isMapping } ?? target.items.first { $0.isMapping }
        guard let sample else { return nil }
        return associativeKeys.first { sample[$0] != nil }
    }

    /// The patch without directive keys, as it lands where the target had nothing.
    static func stripDirectives(_ node: YAMLNode) -> YAMLNode {
        switch node.content {
        case .mapping(let pairs):
            var out = node
            out.content = .mapping(pairs.compactMap { pair in
                guard let key = pair.key.scalar else { return pair }
                if key == "$patch" || key.hasPrefix("$setElementOrder/") || key == "$retainKeys"
                    || key.hasPrefix("$deleteFromPrimitiveList/") { return nil }
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
