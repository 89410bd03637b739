/// Writes nodes as JSON the way Go's encoding/json does (sops's JSON store): HTML characters
/// and U+2028/2029 escaped, non-ASCII kept, numbers as their original digits when those are
/// valid JSON, otherwise as Go formats the typed value.
public struct JSONEmitter: Sendable {
    /// Layout of the output.
    public enum Layout: Sendable, Equatable {
        /// `json.Marshal`: no whitespace at all.
        case compact
        /// `json.Indent` with this indent string (sops: a tab, or N spaces from `.sops.yaml`),
        /// plus a final newline.
        case pretty(indent: String)
    }

    public var layout: Layout

    public init(layout: Layout = .pretty(indent: "\t")) { self.layout = layout }

    public static let compact = JSONEmitter(layout: .compact)
    /// What sops writes for JSON files by default.
    public static let sops = JSONEmitter(layout: .pretty(indent: "\t"))

    /// JSON for `node`. Throws for values JSON cannot hold (NaN, infinities).
    public func emit(_ node: YAMLNode) throws -> String {
        var out = ""
        try write(node, depth: 0, path: "", into: &out)
        if case .pretty = layout { out += "\n" }
        return out
    }

    private func newline(_ depth: Int, into out: inout String) {
        guard case let .pretty(indent) = layout else { return }
        out += "\n"
        for _ in 0..<depth { out += indent }
    }

    private func write(_ node: YAMLNode, depth: Int, path: String, into out: inout String) throws {
        switch node.content {
        case let .mapping(pairs):
            guard !pairs.isEmpty else { out += "{}"; return }
            out += "{"
            for (i, pair) in pairs.enumerated() {
                if i > 0 { out += "," }
                newline(depth + 1, into: &out)
                let key = pair.key.scalar ?? ""
                Self.writeString(key, into: &out)
                out += layout == .compact ? ":" : ": "
                try write(pair.value, depth: depth + 1, path: path.isEmpty ? key : path + "." + key, into: &out)
            }
            newline(depth, into: &out)
            out += "}"
        case let .sequence(items):
            guard !items.isEmpty else { out += "[]"; return }
            out += "["
            for (i, item) in items.enumerated() {
                if i > 0 { out += "," }
                newline(depth + 1, into: &out)
                try write(item, depth: depth + 1, path: "\(path)[\(i)]", into: &out)
            }
            newline(depth, into: &out)
            out += "]"
        case let .scalar(text):
            try writeScalar(node, text: text, path: path, into: &out)
        }
    }

    private func writeScalar(_ node: YAMLNode, text: String, path: String, into out: inout String) throws {
        switch node.resolved() {
        case .null: out += "null"
        case let .bool(b): out += b ? "true" : "false"
        case let .int(i): out += Self.isJSONNumber(text) ? text : String(i)
        case let .unsignedInt(u): out += Self.isJSONNumber(text) ? text : String(u)
        case let .float(d):
            guard d.isFinite else {
                throw YAMLError.jsonUnsupportedValue(path: path.isEmpty ? "." : path, value: text)
            }
            out += Self.number(text, d)
        case let .timestamp(t): Self.writeString(t.rfc3339, into: &out)
        case let .string(s): Self.writeString(s, into: &out)
        }
    }

    /// A finite float scalar as JSON: its digits as written when they already are a JSON number
    /// (`1.50`, `1e3`), otherwise Go's format of the value (`.5` → `0.5`).
    static func number(_ text: String, _ value: Double) -> String {
        isJSONNumber(text) ? text : YAMLFloatFormat.goJSON(value)
    }

    static func isJSONNumber(_ text: String) -> Bool {
        var reader = JSONReader(bytes: Array(text.utf8), file: "", maxDepth: 1)
        guard let node = try? reader.value(depth: 0), reader.atEnd else { return false }
        return node.style == .plain && text.first != "t" && text.first != "f" && text.first != "n"
    }

    /// `s` as Go's `json.Marshal` writes a string (HTML characters and U+2028/2029 escaped).
    public static func quote(_ s: String) -> String {
        var out = ""
        writeString(s, into: &out)
        return out
    }

    /// A Go `json.Marshal` string.
    static func writeString(_ s: String, into out: inout String) {
        out += "\""
        for u in s.unicodeScalars {
            switch u {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "\u{08}": out += "\\b"
            case "\u{0C}": out += "\\f"
            case "<": out += "\\u003c"
            case ">": out += "\\u003e"
            case "&": out += "\\u0026"
            case "\u{2028}": out += "\\u2028"
            case "\u{2029}": out += "\\u2029"
            default:
                if u.value < 0x20 {
                    let hex = String(u.value, radix: 16)
                    out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    out.unicodeScalars.append(u)
                }
            }
        }
        out += "\""
    }
}

extension YAMLFloatFormat {
    /// Go encoding/json's float64 format: `'f'` form, but `'e'` below 1e-6 or from 1e21 on,
    /// with a two-digit exponent shortened (`2.5e-8`, `1e+21`).
    public static func goJSON(_ value: Double) -> String {
        let magnitude = abs(value)
        guard magnitude != 0, magnitude < 1e-6 || magnitude >= 1e21 else { return goFixed(value) }
        let (negative, digits, point) = shortestDigits(value)
        var mantissa = String(digits.first ?? "0")
        if digits.count > 1 { mantissa += "." + digits.dropFirst() }
        let exponent = point - 1
        return "\(negative ? "-" : "")\(mantissa)e\(exponent < 0 ? "-" : "+")\(abs(exponent))"
    }
}
