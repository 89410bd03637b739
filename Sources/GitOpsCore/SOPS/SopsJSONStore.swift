/// sops's JSON store (stores/json/store.go): an object with key order and duplicate keys kept,
/// every number a float64 (sops ≤ 3.13.1), Go `json.Indent` output with a tab (or N spaces).
struct SopsJSONStore: SopsStore {
    var indent: Int?

    var emptyKeyList: SopsValue { .null }

    func load(_ bytes: [UInt8], file: String) throws(SopsError) -> SopsLoaded {
        let stream = try parsing(file) { try JSONParser().parse(bytes, file: file) }
        guard let root = stream.documents.first?.root, root.isMapping else {
            throw .unsupportedDocument(file: file, reason: "Error unmarshalling input JSON: the top level must be an object")
        }
        var branch = try JSONToSops(file: file).items(root)
        var metadata: SopsValue?
        if let index = branch.firstIndex(where: { $0.key == .name("sops") }) {
            metadata = branch[index].value
            branch.remove(at: index)
        }
        return SopsLoaded(documents: SopsDocuments(branches: [branch]), metadata: metadata)
    }

    func emit(_ documents: SopsDocuments, metadata: SopsValue?) throws(SopsError) -> [UInt8] {
        var items = documents.branches.first ?? []
        if let metadata { items.append(SopsItem("sops", metadata)) }
        return try emitValue(.map(items))
    }

    func emitValue(_ value: SopsValue) throws(SopsError) -> [UInt8] {
        let emitter = JSONEmitter(layout: .pretty(indent: indent.map { String(repeating: " ", count: $0) } ?? "\t"))
        do {
            var text = try emitter.emit(SopsToJSON.node(for: value))
            // sops prints scalars without the newline json.Indent's caller adds for documents.
            if !value.isCollection, text.hasSuffix("\n") { text.removeLast() }
            return Array(text.utf8)
        } catch {
            throw .cannotWriteFile(path: "<json>", reason: "\(error)")
        }
    }
}

/// JSON nodes → sops tree: strings stay strings, every number becomes a float64.
struct JSONToSops {
    let file: String

    func items(_ node: YAMLNode) throws(SopsError) -> [SopsItem] {
        var items: [SopsItem] = []
        for pair in node.entries {
            items.append(SopsItem(pair.key.scalar ?? "", try value(pair.value)))
        }
        return items
    }

    func value(_ node: YAMLNode) throws(SopsError) -> SopsValue {
        switch node.content {
        case .mapping: return .map(try items(node))
        case let .sequence(elements):
            var list: [SopsValue] = []
            for element in elements { list.append(try value(element)) }
            return .list(list)
        case let .scalar(text):
            if node.style != .plain { return .string(text) }
            switch text {
            case "null": return .null
            case "true": return .bool(true)
            case "false": return .bool(false)
            default:
                guard let number = Double(text) else {
                    throw .unsupportedDocument(file: file, reason: "\(node.source): invalid JSON number \(text)")
                }
                return .float(number)
            }
        }
    }
}

/// sops tree → nodes the JSON emitter writes as Go's encoding/json would.
enum SopsToJSON {
    static func node(for value: SopsValue) -> YAMLNode {
        switch value {
        case let .map(items):
            return YAMLNode(mapping: items.compactMap { item in
                guard case let .name(name) = item.key else { return nil }
                return YAMLPair(key: YAMLNode(scalar: name, style: .doubleQuoted), value: node(for: item.value))
            })
        case let .list(items):
            return YAMLNode(sequence: items.compactMap { item in
                if case .comment = item { return nil }
                return node(for: item)
            })
        case let .string(s): return YAMLNode(scalar: s, style: .doubleQuoted)
        case let .bytes(b): return YAMLNode(scalar: String(decoding: b, as: UTF8.self), style: .doubleQuoted)
        case let .comment(c): return YAMLNode(scalar: c, style: .doubleQuoted)
        case let .int(i): return YAMLNode(scalar: String(i))
        case let .float(d): return YAMLNode(scalar: YAMLFloatFormat.goJSON(d))
        case let .bool(b): return YAMLNode(bool: b)
        case let .time(t): return YAMLNode(scalar: t.rfc3339, style: .doubleQuoted)
        case .null: return YAMLNode.null
        }
    }
}

extension SopsValue {
    var isCollection: Bool {
        switch self {
        case .map, .list: true
        default: false
        }
    }
}
