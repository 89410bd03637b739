/// The content hash kustomize appends to generated ConfigMap and Secret names
/// (api/hasher/hasher.go): SHA-256 over a canonical JSON object, first 10 hex digits with
/// vowels and easily confused digits mapped away so the suffix never spells words.
enum NameHash {
    static func suffix(for node: YAMLNode) -> String {
        let kind = node["kind"]?.scalar ?? ""
        var object: [(String, JSONText)] = [
            ("kind", .string(kind)),
            // kustomize v5 encodes an empty name here (its encoder reads a field the object
            // does not have), so the hash depends on content only; `kubectl kustomize` agrees.
            ("name", .string("")),
        ]
        object.append(("data", node["data"].map(JSONText.init(node:)) ?? .string("")))
        if kind == "Secret" {
            object.append(("type", .string(node["type"]?.scalar ?? "")))
            if let stringData = node["stringData"] { object.append(("stringData", JSONText(node: stringData))) }
        } else if let binary = node["binaryData"] {
            object.append(("binaryData", JSONText(node: binary)))
        }
        let json = JSONText.object(object).encoded
        return encode(Sodium.sha256(Array(json.utf8)))
    }

    static func encode(_ digest: [UInt8]) -> String {
        let hex = Array("0123456789abcdef")
        var out = ""
        for byte in digest.prefix(5) {
            out.append(hex[Int(byte >> 4)])
            out.append(hex[Int(byte & 0xF)])
        }
        return String(out.map { c -> Character in
            switch c {
            case "0": return "g"
            case "1": return "h"
            case "3": return "k"
            case "a": return "m"
            case "e": return "t"
            default: return c
            }
        })
    }
}

/// A JSON value encoded as Go's `encoding/json` does: object keys sorted, no whitespace,
/// `<`, `>`, `&`, U+2028 and U+2029 escaped, other non-ASCII written raw.
indirect enum JSONText {
    case string(String)
    case number(String)
    case bool(Bool)
    case null
    case array([JSONText])
    case object([(String, JSONText)])

    init(node: YAMLNode) {
        switch node.content {
        case .mapping(let pairs):
            self = .object(pairs.map { ($0.key.scalar ?? "", JSONText(node: $0.value)) })
        case .sequence(let items):
            self = .array(items.map(JSONText.init(node:)))
        case .scalar(let text):
            switch node.resolved() {
            case .null: self = .null
            case .bool(let b): self = .bool(b)
            case .int(let i): self = .number(String(i))
            case .unsignedInt(let u): self = .number(String(u))
            case .float(let d): self = .number(ManifestValue.jsonNumber(d))
            case .timestamp(let t): self = .string(t.rfc3339)
            case .string: self = .string(text)
            }
        }
    }

    var encoded: String {
        var out = ""
        write(to: &out)
        return out
    }

    func write(to out: inout String) {
        switch self {
        case .string(let s): JSONText.writeString(s, to: &out)
        case .number(let n): out += n
        case .bool(let b): out += b ? "true" : "false"
        case .null: out += "null"
        case .array(let items):
            out += "["
            for (i, item) in items.enumerated() {
                if i > 0 { out += "," }
                item.write(to: &out)
            }
            out += "]"
        case .object(let pairs):
            out += "{"
            for (i, pair) in pairs.sorted(by: { $0.0 < $1.0 }).enumerated() {
                if i > 0 { out += "," }
                JSONText.writeString(pair.0, to: &out)
                out += ":"
                pair.1.write(to: &out)
            }
            out += "}"
        }
    }

    static func writeString(_ s: String, to out: inout String) {
        out += "\""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "<", ">", "&", "\u{2028}", "\u{2029}":
                out += unicodeEscape(scalar.value)
            default:
                if scalar.value < 0x20 { out += unicodeEscape(scalar.value) } else { out.unicodeScalars.append(scalar) }
            }
        }
        out += "\""
    }

    private static func unicodeEscape(_ value: UInt32) -> String {
        let hex = String(value, radix: 16)
        return "\\u" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
    }
}
