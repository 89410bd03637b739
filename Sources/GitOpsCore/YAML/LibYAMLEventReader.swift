internal import CYAML

/// A parse event from libyaml with its marks already converted to byte offsets.
/// The only file that touches libyaml: nothing above it sees a pointer.
enum YAMLEvent {
    case streamStart, streamEnd
    case documentStart(implicit: Bool, start: YAMLMark)
    case documentEnd(implicit: Bool, end: YAMLMark)
    case scalar(value: String, anchor: String?, tag: String?, style: YAMLStyle, start: YAMLMark, end: YAMLMark)
    case sequenceStart(anchor: String?, tag: String?, flow: Bool, start: YAMLMark)
    case sequenceEnd(end: YAMLMark)
    case mappingStart(anchor: String?, tag: String?, flow: Bool, start: YAMLMark)
    case mappingEnd(end: YAMLMark)
    case alias(name: String, start: YAMLMark, end: YAMLMark)
}

/// Pulls events from libyaml over a byte buffer the caller keeps alive.
final class LibYAMLEventReader {
    private var parser = yaml_parser_t()
    private let file: String
    /// libyaml's `mark.index` counts characters; this converts to bytes incrementally.
    private var offsets: CharacterOffsetCursor

    /// `bytes` must stay valid and unmoved for the reader's lifetime.
    init(bytes: UnsafeBufferPointer<UInt8>, file: String) {
        self.file = file
        offsets = CharacterOffsetCursor(bytes: bytes)
        yaml_parser_initialize(&parser)
        // An empty buffer has no base address; libyaml reads zero bytes either way.
        yaml_parser_set_input_string(&parser, bytes.baseAddress, bytes.count)
    }

    deinit { yaml_parser_delete(&parser) }

    func next() throws -> YAMLEvent {
        var event = yaml_event_t()
        guard yaml_parser_parse(&parser, &event) == 1 else { throw currentError() }
        defer { yaml_event_delete(&event) }
        let start = mark(event.start_mark), end = mark(event.end_mark)
        switch event.type {
        case YAML_STREAM_START_EVENT:
            return .streamStart
        case YAML_STREAM_END_EVENT:
            return .streamEnd
        case YAML_DOCUMENT_START_EVENT:
            return .documentStart(implicit: event.data.document_start.implicit != 0, start: start)
        case YAML_DOCUMENT_END_EVENT:
            return .documentEnd(implicit: event.data.document_end.implicit != 0, end: end)
        case YAML_SCALAR_EVENT:
            let s = event.data.scalar
            return .scalar(value: string(s.value, s.length), anchor: optionalString(s.anchor),
                           tag: optionalString(s.tag).map(YAMLTag.short), style: style(s.style),
                           start: start, end: end)
        case YAML_SEQUENCE_START_EVENT:
            let s = event.data.sequence_start
            return .sequenceStart(anchor: optionalString(s.anchor), tag: optionalString(s.tag).map(YAMLTag.short),
                                  flow: s.style == YAML_FLOW_SEQUENCE_STYLE, start: start)
        case YAML_SEQUENCE_END_EVENT:
            return .sequenceEnd(end: end)
        case YAML_MAPPING_START_EVENT:
            let m = event.data.mapping_start
            return .mappingStart(anchor: optionalString(m.anchor), tag: optionalString(m.tag).map(YAMLTag.short),
                                 flow: m.style == YAML_FLOW_MAPPING_STYLE, start: start)
        case YAML_MAPPING_END_EVENT:
            return .mappingEnd(end: end)
        case YAML_ALIAS_EVENT:
            return .alias(name: optionalString(event.data.alias.anchor) ?? "", start: start, end: end)
        default:
            return .streamEnd
        }
    }

    private func mark(_ m: yaml_mark_t) -> YAMLMark {
        YAMLMark(line: m.line + 1, column: m.column + 1, offset: offsets.byteOffset(ofCharacter: m.index))
    }

    private func string(_ p: UnsafeMutablePointer<yaml_char_t>?, _ length: Int) -> String {
        guard let p, length > 0 else { return "" }
        return String(decoding: UnsafeBufferPointer(start: p, count: length), as: UTF8.self)
    }

    private func optionalString(_ p: UnsafeMutablePointer<yaml_char_t>?) -> String? {
        guard let p else { return nil }
        return String(cString: p)
    }

    private func style(_ s: yaml_scalar_style_t) -> YAMLStyle {
        switch s {
        case YAML_SINGLE_QUOTED_SCALAR_STYLE: return .singleQuoted
        case YAML_DOUBLE_QUOTED_SCALAR_STYLE: return .doubleQuoted
        case YAML_LITERAL_SCALAR_STYLE: return .literal
        case YAML_FOLDED_SCALAR_STYLE: return .folded
        default: return .plain
        }
    }

    private func currentError() -> YAMLError {
        let problem = parser.problem.map { String(cString: $0) } ?? "unknown error"
        let context = parser.context.map { String(cString: $0) }
        // Scanner errors point at problem_mark; parser errors too; use it, it is where the
        // offending token is.
        let m = parser.problem_mark
        let at = YAMLMark(line: m.line + 1, column: m.column + 1, offset: offsets.byteOffset(ofCharacter: m.index))
        if parser.error == YAML_READER_ERROR {
            return .syntax(file: file, at: at, problem: problem, context: nil)
        }
        return .syntax(file: file, at: at, problem: problem, context: context)
    }
}

/// Converts libyaml's character indices to byte offsets. Marks arrive almost in order, so a
/// cursor that walks from the last answer costs O(distance); pure-ASCII input skips it all.
struct CharacterOffsetCursor {
    private let bytes: UnsafeBufferPointer<UInt8>
    private let isASCII: Bool
    private let bomLength: Int
    private var character = 0
    private var byte = 0

    init(bytes: UnsafeBufferPointer<UInt8>) {
        self.bytes = bytes
        bomLength = bytes.count >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF ? 3 : 0
        isASCII = !bytes.contains { $0 >= 0x80 }
        byte = bomLength
    }

    mutating func byteOffset(ofCharacter target: Int) -> Int {
        if isASCII { return min(target, bytes.count) }
        // libyaml consumes a BOM without counting it as a character.
        while character < target && byte < bytes.count {
            byte += Self.sequenceLength(bytes[byte])
            character += 1
        }
        while character > target && byte > bomLength {
            byte -= 1
            while byte > bomLength && bytes[byte] & 0xC0 == 0x80 { byte -= 1 }
            character -= 1
        }
        return min(byte, bytes.count)
    }

    static func sequenceLength(_ lead: UInt8) -> Int {
        switch lead {
        case 0..<0x80: return 1
        case 0xC0..<0xE0: return 2
        case 0xE0..<0xF0: return 3
        case 0xF0...: return 4
        default: return 1
        }
    }
}
