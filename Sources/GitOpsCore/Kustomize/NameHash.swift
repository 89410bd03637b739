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
        object.append(("data", node["data"].map { KubeJSON(yaml: $0).withSortedKeys } ?? .string("")))
        if kind == "Secret" {
            object.append(("type", .string(node["type"]?.scalar ?? "")))
            if let stringData = node["stringData"] { object.append(("stringData", KubeJSON(yaml: stringData).withSortedKeys)) }
        } else if let binary = node["binaryData"] {
            object.append(("binaryData", KubeJSON(yaml: binary).withSortedKeys))
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
    /// The value with every object's keys sorted, as Go's `encoding/json` writes maps.
    var withSortedKeys: KubeJSON {
        switch self {
        case .object(let members):
            return .object(members.map { (key: $0.key, value: $0.value.withSortedKeys) }.sorted { $0.key < $1.key })
        case .array(let items):
            return .array(items.map(\.withSortedKeys))
        default:
            return self
        }
    }
}
