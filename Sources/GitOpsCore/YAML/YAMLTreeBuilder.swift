/// Turns libyaml events into nodes with an explicit stack (no recursion, so depth is only
/// limited by `maxDepth`).
struct YAMLTreeBuilder {
    let file: String
    /// The parsed stream's bytes, which scalars whose text is their source share.
    let bytes: [UInt8]
    let maxDepth: Int
    let maxAliasExpansion: Int

    /// Documents completed since the caller last took them.
    var documents: [YAMLDocument] = []
    private var current = YAMLDocument(root: nil)
    private var stack: [Frame] = []
    /// Children of every open collection, back to back; a closing collection moves its slice
    /// into the document's arena.
    private var children: [YAMLNode] = []
    /// The current document's arena so far (see `YAMLNodeArena`); scratch space reused by
    /// every document, copied exactly sized when the document ends.
    private var arenaKeys: [YAMLCompactKey] = []
    private var arenaValues: [YAMLNode] = []
    private var arenaFullKeys: [YAMLNode] = []
    private var arenaItems: [YAMLNode] = []
    private var arenaRecords: [YAMLNodeArena.Record] = []
    private var arenaExtras: [UInt32: YAMLNode.Extras] = [:]
    private var anchors: [String: (node: YAMLNode, weight: Int)] = [:]
    private var aliasExpansion = 0

    /// An open collection.
    private struct Frame {
        var isMapping: Bool
        var style: YAMLStyle
        var start: YAMLMark
        var anchor: String?
        var tag: String?
        /// Where this collection's children start in `children` (keys and values alternate).
        var firstChild: Int
        var weight = 1
        /// Built once a mapping grows past a few keys, so duplicate checks stay linear overall.
        var keyIndex: [String: Int]?
    }

    init(file: String, bytes: [UInt8], maxDepth: Int, maxAliasExpansion: Int) {
        self.file = file
        self.bytes = bytes
        self.maxDepth = maxDepth
        self.maxAliasExpansion = maxAliasExpansion
    }

    mutating func consume(_ event: YAMLEvent) throws {
        switch event {
        case .streamStart, .streamEnd:
            break
        case let .documentStart(implicit, start):
            current = YAMLDocument(root: nil, explicitStart: !implicit)
            current.source = range(start, start)
            anchors.removeAll(keepingCapacity: true)
        case let .documentEnd(implicit, end):
            current.explicitEnd = !implicit
            current.source.endOffset = UInt32(end.offset)
            if let root = current.root, !arenaRecords.isEmpty {
                current.root = root.bound(in: takeArena())
            }
            documents.append(current)
        case let .scalar(value, anchor, tag, style, start, end):
            var node = YAMLNode(parsedScalar: value, style: style, source: range(start, end), in: bytes)
            if tag != nil || anchor != nil {
                node.extras = .init(tag: tag, tagIsImplicit: false, anchor: anchor, comments: YAMLComments())
            }
            try add(node, weight: 1, anchor: anchor)
        case let .sequenceStart(anchor, tag, flow, start), let .mappingStart(anchor, tag, flow, start):
            guard stack.count < maxDepth else {
                throw YAMLError.depthLimit(file: file, at: start, limit: maxDepth)
            }
            var isMapping = false
            if case .mappingStart = event { isMapping = true }
            stack.append(Frame(isMapping: isMapping, style: flow ? .flow : .block, start: start,
                               anchor: anchor, tag: tag, firstChild: children.count))
        case let .sequenceEnd(end), let .mappingEnd(end):
            guard let frame = stack.popLast() else { return }
            let first: Int, count: Int
            if frame.isMapping {
                first = arenaValues.count
                var i = frame.firstChild
                while i + 1 < children.count {
                    if let key = YAMLCompactKey(children[i]) {
                        arenaKeys.append(key)
                    } else {
                        arenaKeys.append(.full(at: arenaFullKeys.count))
                        arenaFullKeys.append(children[i])
                    }
                    arenaValues.append(children[i + 1])
                    i += 2
                }
                count = arenaValues.count - first
            } else {
                first = arenaItems.count
                arenaItems.append(contentsOf: children[frame.firstChild...])
                count = arenaItems.count - first
            }
            children.removeSubrange(frame.firstChild...)
            var record = YAMLNodeArena.Record(first: UInt32(first), packedCount: UInt32(count),
                                              endOffset: UInt32(truncatingIfNeeded: end.offset))
            if frame.isMapping { record.packedCount |= YAMLNodeArena.Record.mappingBit }
            if frame.tag != nil || frame.anchor != nil {
                record.packedCount |= YAMLNodeArena.Record.extrasBit
                arenaExtras[UInt32(arenaRecords.count)] = .init(tag: frame.tag, tagIsImplicit: false, anchor: frame.anchor,
                                                               comments: YAMLComments())
            }
            arenaRecords.append(record)
            let node = YAMLNode(arenaRecord: UInt32(arenaRecords.count - 1), style: frame.style,
                                source: range(frame.start, end))
            try add(node, weight: frame.weight, anchor: frame.anchor)
        case let .alias(name, start, end):
            guard let target = anchors[name] else {
                throw YAMLError.undefinedAlias(file: file, name: name, at: start)
            }
            aliasExpansion += target.weight
            guard aliasExpansion <= maxAliasExpansion else {
                throw YAMLError.aliasExpansionLimit(file: file, at: start, limit: maxAliasExpansion)
            }
            // The copy sits where the alias was written; its subtree keeps the anchor's positions.
            // It does not carry the anchor, or re-emitting would define it twice.
            let node: YAMLNode
            if let original = target.node.arenaRecord {
                node = aliasCopy(of: original, style: target.node.style, name: name, at: range(start, end))
            } else {
                var copy = target.node
                copy.source = range(start, end)
                copy.updateExtras(anchor: .some(nil), alias: .some(name))
                node = copy
            }
            try add(node, weight: target.weight, anchor: nil)
        }
    }

    /// An alias of a collection in this document: a second record over the same children, with
    /// its own end and the alias name.
    private mutating func aliasCopy(of original: UInt32, style: YAMLStyle, name: String,
                                    at source: YAMLSourceRange) -> YAMLNode {
        var record = arenaRecords[Int(original)]
        record.endOffset = source.endOffset
        record.packedCount |= YAMLNodeArena.Record.extrasBit
        let copy = UInt32(arenaRecords.count)
        arenaExtras[copy] = .init(tag: arenaExtras[original]?.tag, tagIsImplicit: false, anchor: nil,
                                  comments: YAMLComments(), alias: name)
        arenaRecords.append(record)
        return YAMLNode(arenaRecord: copy, style: style, source: source)
    }

    /// The finished document's arena, each array copied to its exact size (the scratch arrays
    /// grew by doubling and are kept for the next document).
    private mutating func takeArena() -> YAMLNodeArena {
        let arena = YAMLNodeArena(bytes: bytes, keys: Self.exactCopy(arenaKeys), values: Self.exactCopy(arenaValues),
                                  fullKeys: Self.exactCopy(arenaFullKeys), items: Self.exactCopy(arenaItems),
                                  records: Self.exactCopy(arenaRecords), extras: arenaExtras)
        arenaKeys.removeAll(keepingCapacity: true)
        arenaValues.removeAll(keepingCapacity: true)
        arenaFullKeys.removeAll(keepingCapacity: true)
        arenaItems.removeAll(keepingCapacity: true)
        arenaRecords.removeAll(keepingCapacity: true)
        arenaExtras.removeAll()
        return arena
    }

    private static func exactCopy<T>(_ array: [T]) -> [T] {
        [T](unsafeUninitializedCapacity: array.count) { buffer, count in
            _ = buffer.initialize(fromContentsOf: array)
            count = array.count
        }
    }

    private mutating func add(_ node: YAMLNode, weight: Int, anchor: String?) throws {
        if let anchor { anchors[anchor] = (node, weight) }
        guard !stack.isEmpty else {
            current.root = node
            return
        }
        let top = stack.count - 1
        stack[top].weight += weight
        // In a mapping, an odd count of children means `node` is a value: check its key.
        if stack[top].isMapping && (children.count - stack[top].firstChild) % 2 == 1 {
            try checkDuplicate(children[children.count - 1], in: top)
        }
        children.append(node)
    }

    /// go-yaml v3 rejects two keys with the same kind and text (`a` and `"a"` clash).
    private mutating func checkDuplicate(_ key: YAMLNode, in top: Int) throws {
        guard key.isScalarShape else { return }
        let first = stack[top].firstChild
        let previousKeys = (children.count - 1 - first) / 2
        if previousKeys < 8 {
            var i = first
            while i < children.count - 1 {
                if key.hasSameScalarText(as: children[i]) {
                    throw duplicate(key.scalar ?? "", key, children[i])
                }
                i += 2
            }
            return
        }
        guard case let .scalar(text) = key.content else { return }
        if stack[top].keyIndex == nil {
            var index: [String: Int] = [:]
            var i = first
            while i < children.count - 1 {
                if case let .scalar(other) = children[i].content { index[other] = i }
                i += 2
            }
            stack[top].keyIndex = index
        }
        if let previous = stack[top].keyIndex?[text] {
            throw duplicate(text, key, children[previous])
        }
        stack[top].keyIndex?[text] = children.count - 1
    }

    private func duplicate(_ text: String, _ key: YAMLNode, _ first: YAMLNode) -> YAMLError {
        let unknown = YAMLMark(line: 0, column: 0, offset: 0)
        return .duplicateKey(file: file, key: text, at: key.source.start ?? unknown,
                             firstAt: first.source.start ?? unknown)
    }

    private func range(_ start: YAMLMark, _ end: YAMLMark) -> YAMLSourceRange {
        YAMLSourceRange(startOffset: UInt32(truncatingIfNeeded: start.offset),
                        endOffset: UInt32(truncatingIfNeeded: end.offset),
                        startLine: UInt32(truncatingIfNeeded: start.line),
                        startColumn: UInt32(truncatingIfNeeded: start.column))
    }
}
