/// The content hash kustomize appends to generated ConfigMap and Secret names
/// (api/hasher/hasher.go): SHA-256 over a canonical JSON object, first 10 hex digits with
/// vowels and easily confused digits mapped away so the suffix never spells words.
enum NameHash {
    static func suffix(for node: YAMLNode) -> String {
        let kind = node["kind"]?.scalar ?? ""
        var object: [(key: String, value: KubeJSON)] = [
            ("kind", .string(kind)),
            // kustomize v5 encodes an empty name here (its encoder reads a field the object
            // does not have), so the hash depends on content only; `kubectl kustomize` agrees.
            ("name", .string("")),
        ]
        object.append(("data", node["data"].map(KubeJSON.init(sortedKeysOf:)) ?? .string("")))
        if kind == "Secret" {
            object.append(("type", .string(node["type"]?.scalar ?? "")))
            if let stringData = node["stringData"] { object.append(("stringData", KubeJSON(sortedKeysOf: stringData))) }
        } else if let binary = node["binaryData"] {
            object.append(("binaryData", KubeJSON(sortedKeysOf: binary)))
        }
        let json = KubeJSON.object(object.sorted { $0.key < $1.key }).serialized
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

extension KubeJSON {
    /// The node as Go's `encoding/json` marshals the decoded value: object keys sorted,
    /// numbers by their typed value, timestamps as RFC 3339 strings.
    init(sortedKeysOf node: YAMLNode) {
        switch node.content {
        case .mapping(let pairs):
            self = .object(pairs.map { (key: $0.key.scalar ?? "", value: KubeJSON(sortedKeysOf: $0.value)) }
                .sorted { $0.key < $1.key })
        case .sequence(let items):
            self = .array(items.map(KubeJSON.init(sortedKeysOf:)))
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
}
