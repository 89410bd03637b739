/// A location inside a document: map keys and sequence indices, written
/// `spec.dependsOn[1].name` (a key with dots or brackets as `["a.b"]`).
public struct YAMLPath: Sendable, Hashable, CustomStringConvertible, ExpressibleByStringLiteral {
    /// One step down the tree.
    public enum Component: Sendable, Hashable {
        case key(String)
        case index(Int)
    }

    public var components: [Component]

    public init(_ components: [Component] = []) { self.components = components }

    /// Parses `a.b[2].c` and `a["x.y"]`; anything unparsable becomes a single key.
    public init(_ text: String) {
        var components: [Component] = []
        var current = ""
        var chars = Array(text)[...]
        func flush() {
            if !current.isEmpty { components.append(.key(current)) }
            current = ""
        }
        while let c = chars.first {
            chars = chars.dropFirst()
            switch c {
            case ".":
                flush()
            case "[":
                flush()
                guard let close = chars.firstIndex(of: "]") else { current.append(c); continue }
                let inside = String(chars[..<close])
                chars = chars[(close + 1)...]
                if let i = Int(inside) {
                    components.append(.index(i))
                } else {
                    components.append(.key(inside.trimmingQuotes()))
                }
            default:
                current.append(c)
            }
        }
        flush()
        self.components = components
    }

    public init(stringLiteral value: String) { self.init(value) }

    public func appending(_ component: Component) -> YAMLPath { YAMLPath(components + [component]) }
    public func appending(key: String) -> YAMLPath { appending(.key(key)) }
    public func appending(index: Int) -> YAMLPath { appending(.index(index)) }

    /// The path without its last component.
    public var parent: YAMLPath { YAMLPath(Array(components.dropLast())) }

    public var description: String {
        guard !components.isEmpty else { return "." }
        var out = ""
        for component in components {
            switch component {
            case let .index(i):
                out += "[\(i)]"
            case let .key(k):
                if k.contains(where: { $0 == "." || $0 == "[" || $0 == "]" }) || k.isEmpty {
                    out += "[\"\(k)\"]"
                } else {
                    out += out.isEmpty ? k : "." + k
                }
            }
        }
        return out
    }
}

extension YAMLNode {
    /// The node at `path`, nil when any step is missing.
    public subscript(path path: YAMLPath) -> YAMLNode? {
        var node = self
        for component in path.components {
            switch component {
            case let .key(k): guard let next = node[k] else { return nil }; node = next
            case let .index(i): guard let next = node[i] else { return nil }; node = next
            }
        }
        return node
    }
}

extension String {
    func trimmingQuotes() -> String {
        guard count >= 2, let first, let last, first == last, first == "\"" || first == "'" else { return self }
        return String(dropFirst().dropLast())
    }
}
