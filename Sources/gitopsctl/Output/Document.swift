import GitOpsCore

/// Structured output for `-o json` and `-o yaml`: JSON's data model with object keys kept in the
/// order they were declared, so output is stable and reads in a sensible order.
indirect enum Document: Sendable, Equatable {
    case null
    case bool(Bool)
    case integer(Int)
    case number(Double)
    case string(String)
    case array([Document])
    case object([Member])

    /// One key of an object.
    struct Member: Sendable, Equatable {
        var key: String
        var value: Document
    }

    /// The value at `key` of an object.
    subscript(key: String) -> Document? {
        guard case .object(let members) = self else { return nil }
        return members.first { $0.key == key }?.value
    }
}

extension Document: ExpressibleByDictionaryLiteral {
    /// Literal keys keep their source order.
    init(dictionaryLiteral elements: (String, Document)...) {
        self = .object(elements.map { Member(key: $0.0, value: $0.1) })
    }
}

extension Document: ExpressibleByArrayLiteral {
    init(arrayLiteral elements: Document...) { self = .array(elements) }
}

extension Document: ExpressibleByStringLiteral, ExpressibleByStringInterpolation {
    init(stringLiteral value: String) { self = .string(value) }
}

extension Document: ExpressibleByIntegerLiteral {
    init(integerLiteral value: Int) { self = .integer(value) }
}

extension Document: ExpressibleByBooleanLiteral {
    init(booleanLiteral value: Bool) { self = .bool(value) }
}

extension Document: ExpressibleByNilLiteral {
    init(nilLiteral: ()) { self = .null }
}

/// JSON as `kubectl -o json` prints it: 2-space indentation, `"key": value`, Go's escaping
/// (GitOpsCore's `KubeJSON` writer), and a final newline.
enum JSONPrinter {
    static func print(_ document: Document) -> String {
        document.json.pretty + "\n"
    }

    /// One line of compact JSON, for streams (`--watch`, workflow events) printed as JSON lines.
    static func line(_ document: Document) -> String {
        document.json.serialized + "\n"
    }
}

/// Block-style YAML as kubectl prints it, through GitOpsCore's emitter: 2-space indentation,
/// sequences at their key's column, strings quoted only where a reader would take them for
/// something else.
enum YAMLPrinter {
    static func print(_ document: Document) -> String {
        YAMLEmitter.manifest.emit(document.yaml)
    }
}

extension Document {
    var json: KubeJSON {
        switch self {
        case .null: return .null
        case .bool(let value): return .bool(value)
        case .integer(let value): return .int(value)
        case .number(let value): return value.isFinite ? .number(YAMLFloatFormat.goJSON(value)) : .null
        case .string(let value): return .string(value)
        case .array(let items): return .array(items.map(\.json))
        case .object(let members): return .object(members.map { (key: $0.key, value: $0.value.json) })
        }
    }

    var yaml: YAMLNode {
        switch self {
        case .null: return .null
        case .bool(let value): return YAMLNode(bool: value)
        case .integer(let value): return YAMLNode(int: value)
        case .number(let value): return YAMLNode(double: value)
        case .string(let value): return YAMLNode(string: value)
        case .array(let items): return YAMLNode(sequence: items.map(\.yaml))
        case .object(let members): return YAMLNode(mapping: members.map { YAMLPair($0.key, $0.value.yaml) })
        }
    }
}
