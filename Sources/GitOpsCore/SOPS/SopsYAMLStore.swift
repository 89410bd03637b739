/// Reads and writes YAML the way sops's YAML store does (getsops/sops stores/yaml/store.go):
/// go-yaml v3 typing, comments turned into comment items where go-yaml attaches them, the
/// `sops` block as the last key of every document, go-yaml v3's layout with a 4-space indent.
struct SopsYAMLStore: SopsStore {
    var indent: Int = 4

    func load(_ bytes: [UInt8], file: String) throws(SopsError) -> SopsLoaded {
        let stream = try parsing(file) { try YAMLParser().parse(bytes, file: file) }
        var reader = YAMLToSops(file: file)
        var branches: [[SopsItem]] = []
        var metadata: SopsValue?
        for document in stream.documents {
            var branch = try reader.branch(of: document)
            if let index = branch.firstIndex(where: { $0.key == .name("sops") }) {
                if metadata == nil { metadata = branch[index].value }
                branch.remove(at: index)
            }
            branches.append(branch)
        }
        if branches.isEmpty { branches = [[]] }
        return SopsLoaded(documents: SopsDocuments(branches: branches), metadata: metadata)
    }

    func emit(_ documents: SopsDocuments, metadata: SopsValue?) throws(SopsError) -> [UInt8] {
        let writer = SopsToYAML()
        let yamlDocuments = documents.branches.map { branch in
            var items = branch
            if let metadata { items.append(SopsItem("sops", metadata)) }
            return YAMLDocument(root: writer.node(for: .map(items)))
        }
        return Array(emitter.emit(yamlDocuments).utf8)
    }

    func emitValue(_ value: SopsValue) throws(SopsError) -> [UInt8] {
        let node = SopsToYAML().node(for: value)
        return Array(emitter.emit(node).utf8)
    }

    private var emitter: YAMLEmitter {
        YAMLEmitter(indent: indent, sequenceIndent: .indented, scalarStyles: .minimal, lineWidth: 80)
    }
}

/// YAML nodes → sops tree, mirroring store.go appendYamlNodeToTreeBranch / nodeToTreeValue.
struct YAMLToSops {
    let file: String

    mutating func branch(of document: YAMLDocument) throws(SopsError) -> [SopsItem] {
        var items = Self.commentItems(document.commentsBeforeStart) + Self.commentItems(document.comments.head)
        if let root = document.root {
            switch root.content {
            case let .mapping(pairs):
                items += Self.commentItems(root.comments.head) + Self.commentItems(root.comments.line)
                items += try mapItems(pairs)
                items += Self.commentItems(root.comments.foot)
            case .sequence:
                throw .unsupportedDocument(file: file, reason: "YAML documents that are sequences are not supported")
            case .scalar:
                guard case .null = root.resolved(.goYAMLv3) else {
                    throw .unsupportedDocument(file: file, reason: "YAML documents that are values are not supported")
                }
                items += Self.commentItems(root.comments.head) + Self.commentItems(root.comments.foot)
            }
        }
        return items + Self.commentItems(document.comments.foot)
    }

    private func mapItems(_ pairs: [YAMLPair]) throws(SopsError) -> [SopsItem] {
        var items: [SopsItem] = []
        for pair in pairs {
            let (key, value) = (pair.key, pair.value)
            items += Self.commentItems(key.comments.head) + Self.commentItems(key.comments.line)
            let valueIsScalar = value.isScalar
            if valueIsScalar {
                items += Self.commentItems(value.comments.head) + Self.commentItems(value.comments.line)
            }
            var converted = try treeValue(value, commentsHandled: valueIsScalar)
            if valueIsScalar { items.append(SopsItem(try keyName(key), converted)); items += Self.commentItems(value.comments.foot) }
            let foot = Self.comments(key.comments.foot)
            if Self.appendFootInnermost(foot, to: &converted) {
                items.append(SopsItem(try keyName(key), converted))
            } else {
                if !valueIsScalar { items.append(SopsItem(try keyName(key), converted)) }
                items += foot.map { SopsItem(comment: $0) }
            }
        }
        return items
    }

    /// go-yaml gives a comment that ends a nested block (indented deeper than the next line)
    /// to the innermost last node of that block as its foot, so sops files carry it there,
    /// with that node's path as additional data. Returns false when `value` is not a
    /// non-empty collection (the comment then follows the value where it is).
    static func appendFootInnermost(_ comments: [String], to value: inout SopsValue) -> Bool {
        guard !comments.isEmpty else { return false }
        switch value {
        case var .map(items):
            guard let last = items.lastIndex(where: { if case .name = $0.key { true } else { false } }) else { return false }
            if !appendFootInnermost(comments, to: &items[last].value) {
                items += comments.map { SopsItem(comment: $0) }
            }
            value = .map(items)
            return true
        case var .list(items):
            guard let last = items.lastIndex(where: { if case .comment = $0 { false } else { true } }) else { return false }
            if !appendFootInnermost(comments, to: &items[last]) {
                items += comments.map(SopsValue.comment)
            }
            value = .list(items)
            return true
        default:
            return false
        }
    }

    private func treeValue(_ node: YAMLNode, commentsHandled: Bool) throws(SopsError) -> SopsValue {
        switch node.content {
        case let .mapping(pairs):
            // A list item's own comments were already placed in the list around it.
            guard !commentsHandled else { return .map(try mapItems(pairs)) }
            var items = Self.commentItems(node.comments.head) + Self.commentItems(node.comments.line)
            items += try mapItems(pairs)
            return .map(items + Self.commentItems(node.comments.foot))
        case let .sequence(elements):
            var list: [SopsValue] = []
            if !commentsHandled {
                list += Self.comments(node.comments.head).map(SopsValue.comment)
                list += Self.comments(node.comments.line).map(SopsValue.comment)
            }
            for element in elements {
                list += Self.comments(element.comments.head).map(SopsValue.comment)
                list += Self.comments(element.comments.line).map(SopsValue.comment)
                var converted = try treeValue(element, commentsHandled: true)
                let foot = Self.comments(element.comments.foot)
                let pushedDown = Self.appendFootInnermost(foot, to: &converted)
                list.append(converted)
                if !pushedDown { list += foot.map(SopsValue.comment) }
            }
            return .list(list)
        case .scalar:
            return try scalar(node)
        }
    }

    private func scalar(_ node: YAMLNode) throws(SopsError) -> SopsValue {
        if node.tag == YAMLTag.binary, let text = node.scalar {
            // go-yaml decodes !!binary into a string of the decoded bytes.
            let compact = text.filter { !$0.isWhitespace }
            guard let bytes = Base64.decode(compact, padded: true) else {
                throw .unsupportedDocument(file: file, reason: "\(node.source): invalid !!binary value")
            }
            return String(validating: bytes, as: UTF8.self).map(SopsValue.string) ?? .bytes(bytes)
        }
        switch node.resolved(.goYAMLv3) {
        case .null: return .null
        case let .bool(b): return .bool(b)
        case let .int(i): return .int(i)
        case .unsignedInt: throw .unsupportedDocument(file: file, reason: "\(node.source): unknown type uint64 (integer too large)")
        case let .float(d): return .float(d)
        case let .timestamp(t): return .time(t)
        case let .string(s): return .string(s)
        }
    }

    private func keyName(_ key: YAMLNode) throws(SopsError) -> String {
        guard key.isScalar else {
            throw .unsupportedDocument(file: file, reason: "\(key.source): only string keys are supported, found a collection key")
        }
        if case let .string(s) = key.resolved(.goYAMLv3) { return s }
        if key.tag == YAMLTag.merge, let s = key.scalar { return s }
        throw .unsupportedDocument(file: file, reason: "\(key.source): Tree contains a non-string key \(key.scalar ?? ""). Only string keys are supported")
    }

    /// go-yaml comment text → one entry per non-empty line, without its `#`.
    static func comments(_ text: String?) -> [String] {
        guard let text else { return [] }
        return text.split(separator: "\n", omittingEmptySubsequences: true).compactMap { line in
            let trimmed = line.drop { $0 == " " || $0 == "\t" }
            guard !trimmed.isEmpty else { return nil }
            return trimmed.first == "#" ? String(trimmed.dropFirst()) : String(trimmed)
        }
    }

    static func commentItems(_ text: String?) -> [SopsItem] {
        comments(text).map { SopsItem(comment: $0) }
    }
}

/// sops tree → YAML nodes, mirroring store.go appendTreeBranch / appendSequence: comments
/// become head comments of the next entry, trailing ones the foot of the last.
struct SopsToYAML {
    func node(for value: SopsValue) -> YAMLNode {
        switch value {
        case let .map(items): mapping(items)
        case let .list(items): sequence(items)
        case let .string(s): YAMLNode(string: s)
        case let .bytes(b): YAMLNode(string: String(decoding: b, as: UTF8.self))
        case let .int(i): YAMLNode(scalar: String(i))
        case let .float(d): YAMLNode(double: d)
        case let .bool(b): YAMLNode(bool: b)
        case let .time(t): YAMLNode(scalar: t.rfc3339)
        case let .comment(c): YAMLNode(string: c)
        case .null: YAMLNode.null
        }
    }

    private func mapping(_ items: [SopsItem]) -> YAMLNode {
        var pairs: [YAMLPair] = []
        var pending: [String] = []
        for item in items {
            switch item.key {
            case let .comment(text):
                pending.append(text)
            case let .name(name):
                var key = YAMLNode(string: name)
                if !pending.isEmpty {
                    key.comments.head = Self.commentText(pending)
                    pending = []
                }
                pairs.append(YAMLPair(key: key, value: node(for: item.value)))
            }
        }
        var result = YAMLNode(mapping: pairs)
        if !pending.isEmpty {
            if pairs.isEmpty {
                result.comments.head = Self.commentText(pending)
            } else {
                pairs[pairs.count - 1].key.comments.foot = Self.commentText(pending)
                result = YAMLNode(mapping: pairs)
            }
        }
        return result
    }

    private func sequence(_ items: [SopsValue]) -> YAMLNode {
        var nodes: [YAMLNode] = []
        var pending: [String] = []
        for item in items {
            if case let .comment(text) = item {
                pending.append(text)
                continue
            }
            var element = node(for: item)
            if !pending.isEmpty {
                element.comments.head = Self.commentText(pending)
                pending = []
            }
            nodes.append(element)
        }
        var result = YAMLNode(sequence: nodes)
        if !pending.isEmpty {
            if nodes.isEmpty {
                result.comments.head = Self.commentText(pending)
            } else {
                nodes[nodes.count - 1].comments.foot = Self.commentText(pending)
                result = YAMLNode(sequence: nodes)
            }
        }
        return result
    }

    static func commentText(_ lines: [String]) -> String {
        "#" + lines.joined(separator: "\n#")
    }
}
