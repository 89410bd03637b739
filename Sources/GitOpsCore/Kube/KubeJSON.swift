import Foundation

/// A JSON value as the Kubernetes API sends it, with object keys kept in their original order so
/// an object read, changed and sent back (or printed with `-o json`) keeps the server's layout.
public enum KubeJSON: Sendable, Equatable {
    case null
    case bool(Bool)
    case number(String)   // the literal text: int64 resourceVersions and quantities stay exact
    case string(String)
    case array([KubeJSON])
    case object([(key: String, value: KubeJSON)])

    public static func == (lhs: KubeJSON, rhs: KubeJSON) -> Bool {
        switch (lhs, rhs) {
        case (.null, .null): return true
        case let (.bool(a), .bool(b)): return a == b
        case let (.number(a), .number(b)): return a == b || Double(a) == Double(b)
        case let (.string(a), .string(b)): return a == b
        case let (.array(a), .array(b)): return a == b
        case let (.object(a), .object(b)):
            guard a.count == b.count else { return false }
            let right = Dictionary(b.map { ($0.key, $0.value) }, uniquingKeysWith: { first, _ in first })
            return a.allSatisfy { right[$0.key] == $0.value }
        default: return false
        }
    }

    public static func int(_ value: Int) -> KubeJSON { .number(String(value)) }

    /// The member `key` of an object, nil for anything else or a missing key.
    public subscript(key: String) -> KubeJSON? {
        guard case let .object(members) = self else { return nil }
        return members.first { $0.key == key }?.value
    }

    /// Follows a dotted path of object keys (`status.observedGeneration`).
    public func at(_ path: String) -> KubeJSON? {
        var current: KubeJSON? = self
        for key in path.split(separator: ".") { current = current?[String(key)] }
        return current
    }

    public var stringValue: String? { if case let .string(s) = self { return s }; return nil }
    public var boolValue: Bool? { if case let .bool(b) = self { return b }; return nil }
    public var intValue: Int? { if case let .number(n) = self { return Int(n) }; return nil }
    public var arrayValue: [KubeJSON]? { if case let .array(a) = self { return a }; return nil }
    public var objectValue: [(key: String, value: KubeJSON)]? { if case let .object(o) = self { return o }; return nil }

    /// Sets (or, with nil, removes) a member of an object; a non-object becomes an object.
    public mutating func set(_ key: String, _ value: KubeJSON?) {
        var members = objectValue ?? []
        if let index = members.firstIndex(where: { $0.key == key }) {
            if let value { members[index].value = value } else { members.remove(at: index) }
        } else if let value {
            members.append((key, value))
        }
        self = .object(members)
    }

    /// Sets a value at a dotted path, creating objects on the way.
    public mutating func set(path: String, _ value: KubeJSON?) {
        let keys = path.split(separator: ".").map(String.init)
        guard let first = keys.first else { return }
        if keys.count == 1 { set(first, value); return }
        var child = self[first] ?? .object([])
        child.set(path: keys.dropFirst().joined(separator: "."), value)
        set(first, child)
    }
}

// MARK: - Serialising

extension KubeJSON {
    /// Compact JSON text, as sent in request bodies.
    public var serialized: String {
        var out = ""
        write(to: &out, indent: nil, level: 0)
        return out
    }

    /// Indented JSON text (2 spaces, `"key": value`), as `kubectl get -o json` prints it.
    public var pretty: String {
        var out = ""
        write(to: &out, indent: "  ", level: 0)
        return out
    }

    private func write(to out: inout String, indent: String?, level: Int) {
        let newline = indent.map { "\n" + String(repeating: $0, count: level + 1) } ?? ""
        let closing = indent.map { "\n" + String(repeating: $0, count: level) } ?? ""
        switch self {
        case .null: out += "null"
        case let .bool(b): out += b ? "true" : "false"
        case let .number(n): out += n
        case let .string(s): JSONEmitter.writeString(s, into: &out)
        case let .array(items):
            guard !items.isEmpty else { out += "[]"; return }
            out += "["
            for (i, item) in items.enumerated() {
                out += (i == 0 ? "" : ",") + newline
                item.write(to: &out, indent: indent, level: level + 1)
            }
            out += closing + "]"
        case let .object(members):
            guard !members.isEmpty else { out += "{}"; return }
            out += "{"
            for (i, member) in members.enumerated() {
                out += (i == 0 ? "" : ",") + newline
                JSONEmitter.writeString(member.key, into: &out)
                out += indent == nil ? ":" : ": "
                member.value.write(to: &out, indent: indent, level: level + 1)
            }
            out += closing + "}"
        }
    }
}

// MARK: - Parsing

extension KubeJSON {
    /// Parses JSON text; the error names the byte offset where it went wrong.
    public static func parse(_ bytes: [UInt8]) throws(KubeError) -> KubeJSON {
        var parser = KubeJSONParser(bytes: bytes)
        return try parser.document()
    }

    public static func parse(_ text: String) throws(KubeError) -> KubeJSON {
        try parse(Array(text.utf8))
    }
}

private struct KubeJSONParser {
    let bytes: [UInt8]
    var index = 0

    init(bytes: [UInt8]) { self.bytes = bytes }

    mutating func document() throws(KubeError) -> KubeJSON {
        let value = try parseValue(depth: 0)
        skipSpace()
        guard index == bytes.count else { throw fail("unexpected text after the JSON value") }
        return value
    }

    func fail(_ why: String) -> KubeError { .malformedJSON(offset: index, reason: why) }

    mutating func skipSpace() {
        while index < bytes.count, [0x20, 0x0A, 0x0D, 0x09].contains(bytes[index]) { index += 1 }
    }

    mutating func parseValue(depth: Int) throws(KubeError) -> KubeJSON {
        guard depth < 512 else { throw fail("nesting too deep") }
        skipSpace()
        guard index < bytes.count else { throw fail("unexpected end of input") }
        switch bytes[index] {
        case UInt8(ascii: "{"): return try parseObject(depth: depth)
        case UInt8(ascii: "["): return try parseArray(depth: depth)
        case UInt8(ascii: "\""): return .string(try parseString())
        case UInt8(ascii: "t"): try literal("true"); return .bool(true)
        case UInt8(ascii: "f"): try literal("false"); return .bool(false)
        case UInt8(ascii: "n"): try literal("null"); return .null
        default: return try parseNumber()
        }
    }

    mutating func literal(_ word: String) throws(KubeError) {
        let w = Array(word.utf8)
        guard index + w.count <= bytes.count, Array(bytes[index..<index + w.count]) == w else {
            throw fail("invalid literal")
        }
        index += w.count
    }

    mutating func parseNumber() throws(KubeError) -> KubeJSON {
        let start = index
        while index < bytes.count, "+-0123456789.eE".utf8.contains(bytes[index]) { index += 1 }
        let text = String(decoding: bytes[start..<index], as: UTF8.self)
        guard !text.isEmpty, Double(text) != nil else { throw fail("invalid number") }
        return .number(text)
    }

    mutating func parseObject(depth: Int) throws(KubeError) -> KubeJSON {
        index += 1
        var members: [(key: String, value: KubeJSON)] = []
        skipSpace()
        if index < bytes.count, bytes[index] == UInt8(ascii: "}") { index += 1; return .object(members) }
        while true {
            skipSpace()
            guard index < bytes.count, bytes[index] == UInt8(ascii: "\"") else { throw fail("expected a key") }
            let key = try parseString()
            skipSpace()
            guard index < bytes.count, bytes[index] == UInt8(ascii: ":") else { throw fail("expected ':'") }
            index += 1
            members.append((key, try parseValue(depth: depth + 1)))
            skipSpace()
            guard index < bytes.count else { throw fail("unexpected end of input") }
            if bytes[index] == UInt8(ascii: ",") { index += 1; continue }
            if bytes[index] == UInt8(ascii: "}") { index += 1; return .object(members) }
            throw fail("expected ',' or '}'")
        }
    }

    mutating func parseArray(depth: Int) throws(KubeError) -> KubeJSON {
        index += 1
        var items: [KubeJSON] = []
        skipSpace()
        if index < bytes.count, bytes[index] == UInt8(ascii: "]") { index += 1; return .array(items) }
        while true {
            items.append(try parseValue(depth: depth + 1))
            skipSpace()
            guard index < bytes.count else { throw fail("unexpected end of input") }
            if bytes[index] == UInt8(ascii: ",") { index += 1; continue }
            if bytes[index] == UInt8(ascii: "]") { index += 1; return .array(items) }
            throw fail("expected ',' or ']'")
        }
    }

    mutating func parseString() throws(KubeError) -> String {
        do {
            let (text, end) = try JSONStringLiteral.read(bytes, at: index)
            index = end
            return text
        } catch {
            index = error.offset
            throw fail(error.reason)
        }
    }
}
