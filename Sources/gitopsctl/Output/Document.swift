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

/// JSON with 2-space indentation, `"key": value`, and a final newline (like `kubectl -o json`).
enum JSONPrinter {
    static func print(_ document: Document) -> String {
        var out = ""
        write(document, indent: 0, to: &out)
        return out + "\n"
    }

    private static func write(_ document: Document, indent: Int, to out: inout String) {
        let pad = String(repeating: "  ", count: indent + 1)
        let closing = String(repeating: "  ", count: indent)
        switch document {
        case .null: out += "null"
        case .bool(let value): out += value ? "true" : "false"
        case .integer(let value): out += String(value)
        case .number(let value): out += value.isFinite ? "\(value)" : "null"
        case .string(let value): out += quoted(value)
        case .array(let items):
            guard !items.isEmpty else { out += "[]"; return }
            out += "[\n"
            for (index, item) in items.enumerated() {
                out += pad
                write(item, indent: indent + 1, to: &out)
                out += index == items.count - 1 ? "\n" : ",\n"
            }
            out += closing + "]"
        case .object(let members):
            guard !members.isEmpty else { out += "{}"; return }
            out += "{\n"
            for (index, member) in members.enumerated() {
                out += pad + quoted(member.key) + ": "
                write(member.value, indent: indent + 1, to: &out)
                out += index == members.count - 1 ? "\n" : ",\n"
            }
            out += closing + "}"
        }
    }

    /// A JSON string literal; also a valid YAML double-quoted scalar.
    static func quoted(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "\u{08}": out += "\\b"
            case "\u{0C}": out += "\\f"
            default:
                if scalar.value < 0x20 || scalar.value == 0x7F {
                    let hex = String(scalar.value, radix: 16)
                    out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }
}

/// Block-style YAML the way kubectl prints it: 2-space indentation, sequence items at their
/// parent key's indentation, strings plain unless a YAML 1.1 reader would take them for
/// something else (a bool, number, null, or syntax), then double-quoted.
enum YAMLPrinter {
    static func print(_ document: Document) -> String {
        switch document {
        case .array(let items) where !items.isEmpty: return sequence(items, indent: 0)
        case .object(let members) where !members.isEmpty: return mapping(members, indent: 0)
        default: return scalar(document) + "\n"
        }
    }

    private static func mapping(_ members: [Document.Member], indent: Int) -> String {
        let pad = String(repeating: " ", count: indent)
        var out = ""
        for member in members {
            out += pad + key(member.key) + ":"
            switch member.value {
            case .object(let children) where !children.isEmpty:
                out += "\n" + mapping(children, indent: indent + 2)
            case .array(let items) where !items.isEmpty:
                out += "\n" + sequence(items, indent: indent)
            default:
                out += " " + scalar(member.value) + "\n"
            }
        }
        return out
    }

    private static func sequence(_ items: [Document], indent: Int) -> String {
        let pad = String(repeating: " ", count: indent)
        var out = ""
        for item in items {
            switch item {
            case .object(let children) where !children.isEmpty:
                // The first key shares the dash's line; the rest align under it.
                let body = mapping(children, indent: indent + 2)
                out += pad + "- " + body.dropFirst(indent + 2)
            case .array(let nested) where !nested.isEmpty:
                let body = sequence(nested, indent: indent + 2)
                out += pad + "- " + body.dropFirst(indent + 2)
            default:
                out += pad + "- " + scalar(item) + "\n"
            }
        }
        return out
    }

    private static func key(_ text: String) -> String {
        isPlainSafe(text) ? text : JSONPrinter.quoted(text)
    }

    private static func scalar(_ document: Document) -> String {
        switch document {
        case .null: return "null"
        case .bool(let value): return value ? "true" : "false"
        case .integer(let value): return String(value)
        case .number(let value): return value.isFinite ? "\(value)" : (value.isNaN ? ".nan" : (value > 0 ? ".inf" : "-.inf"))
        case .string(let value): return isPlainSafe(value) ? value : JSONPrinter.quoted(value)
        case .array: return "[]"
        case .object: return "{}"
        }
    }

    private static let reserved: Set<String> = [
        "true", "false", "yes", "no", "on", "off", "y", "n", "null", "~",
    ]

    static func isPlainSafe(_ text: String) -> Bool {
        guard let first = text.unicodeScalars.first, let last = text.unicodeScalars.last else { return false }
        if first == " " || last == " " || last == ":" { return false }
        if "-?:,[]{}#&*!|>'\"%@`".unicodeScalars.contains(first) { return false }
        if text.contains(": ") || text.contains(" #") { return false }
        if text.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) { return false }
        if reserved.contains(text.lowercased()) { return false }
        if looksNumeric(text) { return false }
        return true
    }

    /// What a YAML 1.1 reader would take for a number: ints and floats (with `_` separators),
    /// hex and octal, `.inf`/`.nan`, and sexagesimals like `1:30`.
    private static func looksNumeric(_ text: String) -> Bool {
        let lowered = text.lowercased()
        if [".inf", "-.inf", "+.inf", ".nan"].contains(lowered) { return true }
        var body = Substring(lowered)
        if let sign = body.first, sign == "-" || sign == "+" { body = body.dropFirst() }
        let plain = body.filter { $0 != "_" }
        if Double(plain) != nil { return true }
        if plain.hasPrefix("0x") || plain.hasPrefix("0o") { return plain.dropFirst(2).allSatisfy(\.isHexDigit) }
        guard plain.contains(":"), let first = plain.first, first.isNumber else { return false }
        return plain.allSatisfy { $0.isNumber || $0 == ":" || $0 == "." }
    }
}
