/// Reads JSON into the YAML node model: key order kept (duplicate keys kept as separate
/// entries, as sops's JSON store does), numbers kept as their original digits so `1.0` stays a
/// float and `10` an int, strings as double-quoted scalars, positions recorded.
public struct JSONParser: Sendable {
    /// Deepest nesting accepted.
    public var maxDepth: Int

    public init(maxDepth: Int = 256) { self.maxDepth = maxDepth }

    /// Parses one JSON value (surrounding whitespace allowed) as a single document.
    public func parse(_ bytes: [UInt8], file: String = "<memory>") throws -> YAMLStream {
        if let bad = UTF8Check.firstInvalidByte(in: bytes) {
            throw YAMLError.notUTF8(file: file, at: UTF8Check.mark(of: bad, in: bytes), byte: bytes[bad])
        }
        var reader = JSONReader(bytes: bytes, file: file, maxDepth: maxDepth)
        reader.skipBOM()
        reader.skipWhitespace()
        let root = try reader.value(depth: 0)
        reader.skipWhitespace()
        guard reader.atEnd else { throw reader.error("unexpected text after the JSON value") }
        var document = YAMLDocument(root: root)
        document.source = YAMLSourceRange(startOffset: 0, endOffset: UInt32(truncatingIfNeeded: bytes.count),
                                          startLine: 1, startColumn: 1)
        return YAMLStream(documents: [document], file: file, bytes: bytes)
    }

    public func parse(_ text: String, file: String = "<memory>") throws -> YAMLStream {
        try parse(Array(text.utf8), file: file)
    }
}

/// A recursive-descent JSON reader over bytes, tracking line and character column.
struct JSONReader {
    let bytes: [UInt8]
    let file: String
    let maxDepth: Int
    private var i = 0
    private var line = 1
    private var lineStart = 0

    init(bytes: [UInt8], file: String, maxDepth: Int) {
        self.bytes = bytes
        self.file = file
        self.maxDepth = maxDepth
    }

    var atEnd: Bool { i >= bytes.count }

    var mark: YAMLMark {
        let column = String(decoding: bytes[lineStart..<min(i, bytes.count)], as: UTF8.self).unicodeScalars.count + 1
        return YAMLMark(line: line, column: column, offset: i)
    }

    func error(_ problem: String) -> YAMLError { .jsonSyntax(file: file, at: mark, problem: problem) }

    mutating func skipBOM() {
        if bytes.count >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF { i = 3; lineStart = 3 }
    }

    mutating func skipWhitespace() {
        while i < bytes.count {
            switch bytes[i] {
            case 0x20, 0x09, 0x0D: i += 1
            case 0x0A: i += 1; line += 1; lineStart = i
            default: return
            }
        }
    }

    private func range(from start: YAMLMark) -> YAMLSourceRange {
        YAMLSourceRange(startOffset: UInt32(truncatingIfNeeded: start.offset), endOffset: UInt32(truncatingIfNeeded: i),
                        startLine: UInt32(truncatingIfNeeded: start.line), startColumn: UInt32(truncatingIfNeeded: start.column))
    }

    mutating func value(depth: Int) throws -> YAMLNode {
        guard i < bytes.count else { throw error("unexpected end of input, expected a value") }
        let start = mark
        switch bytes[i] {
        case UInt8(ascii: "{"):
            return try object(depth: depth + 1, start: start)
        case UInt8(ascii: "["):
            return try array(depth: depth + 1, start: start)
        case UInt8(ascii: "\""):
            let text = try string()
            return YAMLNode(parsedScalar: text, style: .doubleQuoted, source: range(from: start), in: bytes)
        case UInt8(ascii: "t"), UInt8(ascii: "f"), UInt8(ascii: "n"):
            for word in ["true", "false", "null"] where bytes[i...].starts(with: word.utf8) {
                i += word.utf8.count
                return YAMLNode(parsedScalar: word, style: .plain, source: range(from: start), in: bytes)
            }
            throw error("invalid literal")
        default:
            let text = try number()
            return YAMLNode(parsedScalar: text, style: .plain, source: range(from: start), in: bytes)
        }
    }

    private mutating func object(depth: Int, start: YAMLMark) throws -> YAMLNode {
        guard depth <= maxDepth else { throw YAMLError.depthLimit(file: file, at: start, limit: maxDepth) }
        i += 1
        var pairs: [YAMLPair] = []
        skipWhitespace()
        if i < bytes.count && bytes[i] == UInt8(ascii: "}") {
            i += 1
            return YAMLNode(content: .mapping(pairs), style: .block, source: range(from: start))
        }
        while true {
            skipWhitespace()
            guard i < bytes.count, bytes[i] == UInt8(ascii: "\"") else { throw error("expected a string key") }
            let keyStart = mark
            let key = try string()
            let keyNode = YAMLNode(parsedScalar: key, style: .doubleQuoted, source: range(from: keyStart), in: bytes)
            skipWhitespace()
            guard i < bytes.count, bytes[i] == UInt8(ascii: ":") else { throw error("expected ':' after an object key") }
            i += 1
            skipWhitespace()
            let value = try self.value(depth: depth)
            pairs.append(YAMLPair(key: keyNode, value: value))
            skipWhitespace()
            guard i < bytes.count else { throw error("unexpected end of input in an object") }
            if bytes[i] == UInt8(ascii: ",") { i += 1; continue }
            if bytes[i] == UInt8(ascii: "}") { i += 1; break }
            throw error("expected ',' or '}' in an object")
        }
        return YAMLNode(content: .mapping(pairs), style: .block, source: range(from: start))
    }

    private mutating func array(depth: Int, start: YAMLMark) throws -> YAMLNode {
        guard depth <= maxDepth else { throw YAMLError.depthLimit(file: file, at: start, limit: maxDepth) }
        i += 1
        var items: [YAMLNode] = []
        skipWhitespace()
        if i < bytes.count && bytes[i] == UInt8(ascii: "]") {
            i += 1
            return YAMLNode(content: .sequence(items), style: .block, source: range(from: start))
        }
        while true {
            skipWhitespace()
            items.append(try value(depth: depth))
            skipWhitespace()
            guard i < bytes.count else { throw error("unexpected end of input in an array") }
            if bytes[i] == UInt8(ascii: ",") { i += 1; continue }
            if bytes[i] == UInt8(ascii: "]") { i += 1; break }
            throw error("expected ',' or ']' in an array")
        }
        return YAMLNode(content: .sequence(items), style: .block, source: range(from: start))
    }

    /// JSON number grammar; the digits are kept as written.
    private mutating func number() throws -> String {
        let start = i
        func digits() -> Int {
            let s = i
            while i < bytes.count, bytes[i] >= 0x30, bytes[i] <= 0x39 { i += 1 }
            return i - s
        }
        if i < bytes.count && bytes[i] == UInt8(ascii: "-") { i += 1 }
        guard i < bytes.count, bytes[i] >= 0x30, bytes[i] <= 0x39 else { throw error("invalid character, expected a value") }
        if bytes[i] == UInt8(ascii: "0") { i += 1 } else { _ = digits() }
        if i < bytes.count && bytes[i] == UInt8(ascii: ".") {
            i += 1
            guard digits() > 0 else { throw error("expected digits after '.' in a number") }
        }
        if i < bytes.count && (bytes[i] == UInt8(ascii: "e") || bytes[i] == UInt8(ascii: "E")) {
            i += 1
            if i < bytes.count && (bytes[i] == UInt8(ascii: "+") || bytes[i] == UInt8(ascii: "-")) { i += 1 }
            guard digits() > 0 else { throw error("expected digits in a number's exponent") }
        }
        return String(decoding: bytes[start..<i], as: UTF8.self)
    }

    private mutating func string() throws -> String {
        do {
            let (text, end) = try JSONStringLiteral.read(bytes, at: i)
            i = end
            return text
        } catch {
            i = error.offset
            throw self.error(error.reason)
        }
    }
}
