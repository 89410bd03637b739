/// RFC 6902 JSON patches (add, remove, replace, move, copy, test) over YAML nodes, as
/// kustomize applies `patches` entries whose content is a list of operations.
struct JSONPatch {
    struct Operation {
        var op: String
        var path: [String]
        var from: [String]?
        var value: YAMLNode?
    }

    var operations: [Operation]

    /// `problem` texts are meant for `KustomizeError.patchFailed`.
    struct Failure: Error { var problem: String }

    init(node: YAMLNode) throws {
        var ops: [Operation] = []
        for item in node.items {
            guard let op = item["op"]?.scalar, let path = item["path"]?.scalar else {
                throw Failure(problem: "each operation needs 'op' and 'path'")
            }
            ops.append(Operation(op: op, path: try JSONPatch.pointer(path),
                                 from: try item["from"]?.scalar.map { try JSONPatch.pointer($0) },
                                 value: item["value"]))
        }
        operations = ops
    }

    static func pointer(_ text: String) throws -> [String] {
        if text.isEmpty { return [] }
        guard text.hasPrefix("/") else { throw Failure(problem: "JSON pointer \"\(text)\" must start with /") }
        return text.dropFirst().split(separator: "/", omittingEmptySubsequences: false).map {
            $0.replacingOccurrences(of: "~1", with: "/").replacingOccurrences(of: "~0", with: "~")
        }
    }

    func apply(to document: YAMLNode) throws -> YAMLNode {
        var doc = document
        for op in operations {
            switch op.op {
            case "add":
                try JSONPatch.add(&doc, op.path[...], try value(op))
            case "remove":
                _ = try JSONPatch.remove(&doc, op.path[...], display: op.path)
            case "replace":
                _ = try JSONPatch.remove(&doc, op.path[...], display: op.path)
                try JSONPatch.add(&doc, op.path[...], try value(op))
            case "move":
                guard let from = op.from else { throw Failure(problem: "move needs 'from'") }
                let moved = try JSONPatch.remove(&doc, from[...], display: from)
                try JSONPatch.add(&doc, op.path[...], moved)
            case "copy":
                guard let from = op.from else { throw Failure(problem: "copy needs 'from'") }
                try JSONPatch.add(&doc, op.path[...], try JSONPatch.get(doc, from))
            case "test":
                guard try JSONPatch.get(doc, op.path) == (try value(op)) else {
                    throw Failure(problem: "test operation failed at /\(op.path.joined(separator: "/"))")
                }
            default:
                throw Failure(problem: "unknown operation \"\(op.op)\"")
            }
        }
        return doc
    }

    private func value(_ op: Operation) throws -> YAMLNode {
        guard let value = op.value else { throw Failure(problem: "\(op.op) needs 'value'") }
        return value
    }

    static func get(_ node: YAMLNode, _ path: [String]) throws -> YAMLNode {
        var current = node
        for token in path {
            if current.isSequence, let i = Int(token), let next = current[i] {
                current = next
            } else if current.isMapping, let next = current[token] {
                current = next
            } else {
                throw Failure(problem: "path /\(path.joined(separator: "/")) does not exist")
            }
        }
        return current
    }

    private static func add(_ node: inout YAMLNode, _ path: ArraySlice<String>, _ value: YAMLNode) throws {
        guard let token = path.first else { node = value; return }
        let rest = path.dropFirst()
        if node.isSequence {
            var items = node.items
            if rest.isEmpty {
                if token == "-" { items.append(value) } else {
                    guard let i = Int(token), i >= 0, i <= items.count else {
                        throw Failure(problem: "index \(token) out of range")
                    }
                    items.insert(value, at: i)
                }
            } else {
                guard let i = Int(token), items.indices.contains(i) else {
                    throw Failure(problem: "index \(token) out of range")
                }
                try add(&items[i], rest, value)
            }
            node.content = .sequence(items)
        } else if node.isMapping {
            if rest.isEmpty {
                node[token] = value
            } else {
                guard var child = node[token] else { throw Failure(problem: "missing path element \"\(token)\"") }
                try add(&child, rest, value)
                node[token] = child
            }
        } else {
            throw Failure(problem: "cannot add below a scalar at \"\(token)\"")
        }
    }

    private static func remove(_ node: inout YAMLNode, _ path: ArraySlice<String>, display: [String]) throws -> YAMLNode {
        guard let token = path.first else { throw Failure(problem: "cannot remove the document root") }
        let rest = path.dropFirst()
        let missing = Failure(problem: "path /\(display.joined(separator: "/")) does not exist")
        if node.isSequence {
            var items = node.items
            guard let i = Int(token), items.indices.contains(i) else { throw missing }
            let removed: YAMLNode
            if rest.isEmpty { removed = items.remove(at: i) } else { removed = try remove(&items[i], rest, display: display) }
            node.content = .sequence(items)
            return removed
        }
        guard node.isMapping, var child = node[token] else { throw missing }
        if rest.isEmpty {
            node.removeValue(forKey: token)
            return child
        }
        let removed = try remove(&child, rest, display: display)
        node[token] = child
        return removed
    }
}
