internal import CYAML

/// A kubeconfig document as a tree of YAML nodes, each knowing its 1-based line and column so
/// errors can point into the file. Read with libyaml; kubeconfigs need nothing more than
/// mappings, sequences and scalars (anchors and aliases are resolved).
struct KubeconfigNode: Sendable {
    enum Value: Sendable {
        case scalar(String, plain: Bool)
        case mapping([(key: String, value: KubeconfigNode)])
        case sequence([KubeconfigNode])
    }

    var value: Value
    var line: Int
    var column: Int

    subscript(key: String) -> KubeconfigNode? {
        guard case let .mapping(members) = value else { return nil }
        return members.last { $0.key == key }?.value
    }

    var string: String? {
        guard case let .scalar(text, plain) = value else { return nil }
        if plain && (text == "~" || text == "null" || text.isEmpty) { return nil }
        return text
    }

    var bool: Bool? {
        guard case let .scalar(text, _) = value else { return nil }
        switch text.lowercased() {
        case "true", "yes", "on": return true
        case "false", "no", "off": return false
        default: return nil
        }
    }

    var items: [KubeconfigNode]? {
        if case let .sequence(items) = value { return items }
        if case let .scalar(text, plain) = value, plain, text.isEmpty || text == "null" || text == "~" { return [] }
        return nil
    }

    var members: [(key: String, value: KubeconfigNode)]? {
        if case let .mapping(members) = value { return members }
        if case let .scalar(text, plain) = value, plain, text.isEmpty || text == "null" || text == "~" { return [] }
        return nil
    }

    /// Parses the first document of `bytes`; an empty file is an empty mapping, as kubectl treats it.
    static func parse(_ bytes: [UInt8], file: String) throws(KubeError) -> KubeconfigNode {
        let parser = UnsafeMutablePointer<yaml_parser_t>.allocate(capacity: 1)
        defer { parser.deallocate() }
        guard yaml_parser_initialize(parser) == 1 else {
            throw .kubeconfigSyntax(file: file, line: 1, column: 1, reason: "cannot initialise the YAML parser")
        }
        defer { yaml_parser_delete(parser) }
        var reader = EventReader(parser: parser, file: file, anchors: [:])
        return try bytes.withUnsafeBufferPointer { buffer throws(KubeError) -> KubeconfigNode in
            yaml_parser_set_encoding(parser, YAML_UTF8_ENCODING)
            yaml_parser_set_input_string(parser, buffer.baseAddress, buffer.count)
            return try reader.document()
        }
    }
}

private struct EventReader {
    let parser: UnsafeMutablePointer<yaml_parser_t>
    let file: String
    var anchors: [String: KubeconfigNode]

    private enum Event {
        case streamEnd, documentStart, documentEnd
        case scalar(String, plain: Bool, anchor: String?)
        case alias(String)
        case sequenceStart(anchor: String?), sequenceEnd
        case mappingStart(anchor: String?), mappingEnd
        case other
    }

    mutating func document() throws(KubeError) -> KubeconfigNode {
        while true {
            let (event, line, column) = try next()
            switch event {
            case .streamEnd, .documentEnd:
                return KubeconfigNode(value: .mapping([]), line: line, column: column)
            case .documentStart, .other:
                continue
            default:
                return try node(from: event, line: line, column: column)
            }
        }
    }

    private mutating func node(from event: Event, line: Int, column: Int) throws(KubeError) -> KubeconfigNode {
        switch event {
        case let .scalar(text, plain, anchor):
            return remember(KubeconfigNode(value: .scalar(text, plain: plain), line: line, column: column), anchor)
        case let .alias(name):
            guard let target = anchors[name] else {
                throw .kubeconfigSyntax(file: file, line: line, column: column, reason: "unknown alias *\(name)")
            }
            return target
        case let .sequenceStart(anchor):
            var items: [KubeconfigNode] = []
            while true {
                let (inner, l, c) = try next()
                if case .sequenceEnd = inner { break }
                items.append(try node(from: inner, line: l, column: c))
            }
            return remember(KubeconfigNode(value: .sequence(items), line: line, column: column), anchor)
        case let .mappingStart(anchor):
            var members: [(key: String, value: KubeconfigNode)] = []
            while true {
                let (keyEvent, l, c) = try next()
                if case .mappingEnd = keyEvent { break }
                let key = try node(from: keyEvent, line: l, column: c)
                guard case let .scalar(keyText, _) = key.value else {
                    throw .kubeconfigSyntax(file: file, line: l, column: c, reason: "mapping keys must be scalars")
                }
                let (valueEvent, vl, vc) = try next()
                members.append((keyText, try node(from: valueEvent, line: vl, column: vc)))
            }
            return remember(KubeconfigNode(value: .mapping(members), line: line, column: column), anchor)
        default:
            throw .kubeconfigSyntax(file: file, line: line, column: column, reason: "unexpected YAML event")
        }
    }

    private mutating func remember(_ node: KubeconfigNode, _ anchor: String?) -> KubeconfigNode {
        if let anchor { anchors[anchor] = node }
        return node
    }

    private mutating func next() throws(KubeError) -> (Event, Int, Int) {
        var raw = yaml_event_t()
        guard yaml_parser_parse(parser, &raw) == 1 else {
            let mark = parser.pointee.problem_mark
            let problem = parser.pointee.problem.map { String(cString: $0) } ?? "syntax error"
            let context = parser.pointee.context.map { String(cString: $0) + " " } ?? ""
            throw .kubeconfigSyntax(file: file, line: Int(mark.line) + 1, column: Int(mark.column) + 1,
                                    reason: context + problem)
        }
        defer { yaml_event_delete(&raw) }
        let line = Int(raw.start_mark.line) + 1, column = Int(raw.start_mark.column) + 1
        let anchorOf: (UnsafeMutablePointer<yaml_char_t>?) -> String? = { pointer in
            pointer.map { String(cString: $0) }
        }
        switch raw.type {
        case YAML_STREAM_END_EVENT: return (.streamEnd, line, column)
        case YAML_DOCUMENT_START_EVENT: return (.documentStart, line, column)
        case YAML_DOCUMENT_END_EVENT: return (.documentEnd, line, column)
        case YAML_SCALAR_EVENT:
            let s = raw.data.scalar
            let bytes = UnsafeBufferPointer(start: s.value, count: Int(s.length))
            let text = String(decoding: bytes, as: UTF8.self)
            return (.scalar(text, plain: s.style == YAML_PLAIN_SCALAR_STYLE, anchor: anchorOf(s.anchor)), line, column)
        case YAML_ALIAS_EVENT:
            return (.alias(anchorOf(raw.data.alias.anchor) ?? ""), line, column)
        case YAML_SEQUENCE_START_EVENT: return (.sequenceStart(anchor: anchorOf(raw.data.sequence_start.anchor)), line, column)
        case YAML_SEQUENCE_END_EVENT: return (.sequenceEnd, line, column)
        case YAML_MAPPING_START_EVENT: return (.mappingStart(anchor: anchorOf(raw.data.mapping_start.anchor)), line, column)
        case YAML_MAPPING_END_EVENT: return (.mappingEnd, line, column)
        default: return (.other, line, column)
        }
    }
}
