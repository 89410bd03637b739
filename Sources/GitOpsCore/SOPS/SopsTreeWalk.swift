/// Visits every leaf of a sops tree in sops's order (sops.go walkBranch/walkSlice/walkValue):
/// documents, then entries in order, depth first. The path holds map keys only, so every item
/// of a list shares its key's path. Comments are leaves too, and feed the comment stack the
/// comment crypt rules look at.
struct SopsTreeWalk {
    /// Called for each leaf with its path and the comment stack; returns the replacement.
    typealias Visit = (_ leaf: SopsValue, _ path: [String], _ comments: [[String]]) throws -> SopsValue

    static func walk(_ branch: [SopsItem], path: [String] = [], comments: [[String]] = [], _ visit: Visit) rethrows -> [SopsItem] {
        var stack = comments
        stack.append([])
        var out = branch
        for index in out.indices {
            switch out[index].key {
            case let .comment(text):
                stack[stack.count - 1].append(text)
                switch try visit(.comment(text), path, stack) {
                case let .string(result), let .comment(result): out[index].key = .comment(result)
                default: break
                }
            case let .name(name):
                out[index].value = try walkValue(out[index].value, path: path + [name], comments: stack, visit)
                stack[stack.count - 1] = []
            }
        }
        return out
    }

    private static func walkList(_ items: [SopsValue], path: [String], comments: [[String]], _ visit: Visit) rethrows -> [SopsValue] {
        var stack = comments
        stack.append([])
        var out = items
        for index in out.indices {
            let isComment: Bool
            if case let .comment(text) = out[index] {
                stack[stack.count - 1].append(text)
                isComment = true
            } else {
                isComment = false
            }
            out[index] = try walkValue(out[index], path: path, comments: stack, visit)
            if !isComment { stack[stack.count - 1] = [] }
        }
        return out
    }

    private static func walkValue(_ value: SopsValue, path: [String], comments: [[String]], _ visit: Visit) rethrows -> SopsValue {
        switch value {
        case let .map(items): .map(try walk(items, path: path, comments: comments, visit))
        case let .list(items): .list(try walkList(items, path: path, comments: comments, visit))
        case .null: .null
        default: try visit(value, path, comments)
        }
    }

    /// sops's additional data for a path: keys joined with `:`, plus a trailing `:`.
    static func aad(_ path: [String]) -> String {
        path.joined(separator: ":") + ":"
    }
}
