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
    /// Children of every open collection, back to back; a closing collection takes its slice
    /// as one exactly-sized array (no per-collection growth or slack).
    private var children: [YAMLNode] = []
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
            let content: YAMLNode.Content
            if frame.isMapping {
                var pairs: [YAMLPair] = []
                pairs.reserveCapacity((children.count - frame.firstChild) / 2)
                var i = frame.firstChild
                while i + 1 < children.count {
                    pairs.append(YAMLPair(key: children[i], value: children[i + 1]))
                    i += 2
                }
                content = .mapping(pairs)
            } else {
                content = .sequence(Array(children[frame.firstChild...]))
            }
            children.removeSubrange(frame.firstChild...)
            var node = YAMLNode(content: content, style: frame.style, source: range(frame.start, end))
            if frame.tag != nil || frame.anchor != nil {
                node.extras = .init(tag: frame.tag, tagIsImplicit: false, anchor: frame.anchor, comments: YAMLComments())
            }
            try add(node, weight: frame.weight, anchor: frame.anchor)
        case let .alias(name, start, end):
            guard let target = anchors[name] else {
                throw YAMLError.undefinedAlias(file: file, name: name, at: start)
            }
            aliasExpansion += target.weight
            guard aliasExpansion <= maxAliasExpansion else {
                throw YAMLError.aliasExpansionLimit(file: file, at: start, limit: maxAliasExpansion)
            }
            var node = target.node
            // The copy sits where the alias was written; its subtree keeps the anchor's positions.
            // It does not carry the anchor, or re-emitting would define it twice.
            node.source = range(start, end)
            node.updateExtras(anchor: .some(nil), alias: .some(name))
            try add(node, weight: target.weight, anchor: nil)
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
        guard case .scalar = key.shape else { return }
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
