/// A `--extract` path such as `["app"]["database"][0]`: quoted components are map keys,
/// bare ones list indices (getsops/sops cmd/sops/main.go parseTreePath, tree Truncate).
struct SopsTreePath: Sendable, Equatable {
    enum Component: Sendable, Equatable {
        case key(String)
        case index(Int)
    }

    var components: [Component]

    init(parsing text: String) throws(SopsError) {
        var components: [Component] = []
        var rest = Substring(text)
        while !rest.isEmpty {
            guard rest.first == "[", let close = rest.firstIndex(of: "]") else {
                throw .invalidTreePath(text, reason: "expected components in brackets, like [\"key\"][0]")
            }
            let inner = rest[rest.index(after: rest.startIndex)..<close]
            if let quote = inner.first, quote == "\"" || quote == "'" {
                guard inner.count >= 2, inner.last == quote else { throw .invalidTreePath(text, reason: "unterminated quote") }
                components.append(.key(String(inner.dropFirst().dropLast())))
            } else if let index = Int(inner) {
                components.append(.index(index))
            } else {
                throw .invalidTreePath(text, reason: "\(inner) is neither a quoted key nor a list index")
            }
            rest = rest[rest.index(after: close)...]
        }
        self.components = components
    }

    func value(in branch: [SopsItem]) throws(SopsError) -> SopsValue {
        var current = SopsValue.map(branch)
        for component in components {
            switch (component, current) {
            case let (.key(key), .map(items)):
                guard let item = items.first(where: { $0.key == .name(key) }) else { throw .extractNotFound(component: "'\(key)'") }
                current = item.value
            case let (.index(index), .list(items)):
                guard items.indices.contains(index) else { throw .extractOutOfBounds(index: index) }
                current = items[index]
            case let (.key(key), _):
                throw .extractNotFound(component: "'\(key)'")
            case let (.index(index), _):
                throw .extractNotFound(component: String(index))
            }
        }
        return current
    }
}
