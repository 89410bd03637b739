/// Attaches recovered comments to nodes the way go-yaml v3 does, so they can be emitted in
/// place: comments above an entry or item are its head, a comment after a value on the same
/// line is its line comment, comments after a block at a deeper column than what follows are
/// the foot of the last entry at or left of their column, and the rest belong to the document.
struct YAMLCommentAttacher {
    let bytes: [UInt8]
    /// Line breaks before `countedTo`: windows come in order, so each is counted once.
    private var lineBreaksBefore = 0
    private var countedTo = 0

    /// A mapping entry or sequence item that can hold comments.
    private struct Slot {
        /// The enclosing slot (-1 at the top) and this entry's index in its collection: enough to
        /// rebuild the path for the few slots that get comments.
        var parent: Int
        var index: Int
        var start: Int
        var line: Int
        /// Column of the key, or of the `-` for a block sequence item.
        var column: Int
        var endLine: Int
    }

    init(bytes: [UInt8]) {
        self.bytes = bytes
    }

    /// Attaches the comments in `window` of the source to `document`. Called once per document
    /// in order, so the bookkeeping stays as small as one document.
    mutating func attach(to document: inout YAMLDocument, window: Range<Int>) {
        let windowStart = min(window.lowerBound, bytes.count)
        if windowStart < countedTo { (lineBreaksBefore, countedTo) = (0, 0) }
        lineBreaksBefore += YAMLLineTable.lineBreaks(in: bytes, countedTo..<windowStart)
        countedTo = windowStart
        let lines = YAMLLineTable(bytes, window: window, lineBreaksBefore: lineBreaksBefore)
        var excluded: [Range<Int>] = []
        if let root = document.root { collectScalarRanges(root, into: &excluded) }
        excluded.sort { $0.lowerBound < $1.lowerBound }
        let comments = YAMLCommentScanner.comments(in: bytes, window: window, excluding: excluded, lines: lines)
        if !comments.isEmpty { attach(comments, to: &document, lines: lines) }
    }

    private func collectScalarRanges(_ node: YAMLNode, into ranges: inout [Range<Int>]) {
        switch node.shape {
        case .scalar:
            guard var range = node.source.byteRange else { return }
            if node.style == .literal || node.style == .folded {
                // The header line (`|-  # note`) may carry a comment; the content may not.
                var i = range.lowerBound
                while i < range.upperBound && bytes[i] != 0x0A { i += 1 }
                range = i..<range.upperBound
            }
            if !range.isEmpty { ranges.append(range) }
        case let .sequence(items):
            for item in items { collectScalarRanges(item, into: &ranges) }
        case let .mapping(pairs):
            for pair in pairs {
                collectScalarRanges(pair.key, into: &ranges)
                collectScalarRanges(pair.value, into: &ranges)
            }
        }
    }

    private func attach(_ allComments: [YAMLSourceComment], to document: inout YAMLDocument, lines: YAMLLineTable) {
        var comments = allComments
        if document.explicitStart {
            let start = Int(document.source.startOffset)
            let before = comments.prefix { $0.offset < start }
            if !before.isEmpty {
                document.commentsBeforeStart = before.map(\.text).joined(separator: "\n")
                comments.removeFirst(before.count)
            }
        }
        var slots: [Slot] = []
        if let root = document.root { collectSlots(root, parent: -1, into: &slots, lines: lines) }
        var heads: [Int: [String]] = [:], lineComments: [Int: String] = [:], feet: [Int: [String]] = [:]
        var docHead: [String] = [], docFoot: [String] = []

        var i = 0
        while i < comments.count {
            let c = comments[i]
            if !c.isFullLine, let s = lineSlot(for: c, in: slots) {
                lineComments[s] = lineComments[s].map { $0 + " " + c.text } ?? c.text
                i += 1
                continue
            }
            // A group: consecutive full-line comments, blank lines between them kept.
            var group = [c.text]
            var last = c
            var j = i + 1
            while j < comments.count, comments[j].isFullLine, comments[j].column == c.column,
                  !slotStarts(between: last.offset, and: comments[j].offset, in: slots) {
                let gap = comments[j].line - last.line - 1
                if gap > 0 { group.append(contentsOf: Array(repeating: "", count: gap)) }
                group.append(comments[j].text)
                last = comments[j]
                j += 1
            }
            i = j
            let next = slots.firstIndex { $0.start > last.offset }
            if let next, c.column <= slots[next].column {
                let isDocumentHead = next == 0 && slots[next].line > last.line + 1 && c.column == 1
                if isDocumentHead {
                    docHead += group
                } else if next == 0, c.column == 1, let blank = group.lastIndex(of: "") {
                    // Above the first entry, a blank line sets the document's own comments apart.
                    docHead += group[..<blank]
                    heads[next, default: []] += group[(blank + 1)...]
                } else {
                    heads[next, default: []] += group
                }
                continue
            }
            let previous = slots.lastIndex { $0.start < c.offset && $0.column <= c.column }
            if let previous, next != nil || c.column > 1 {
                feet[previous, default: []] += group
            } else if slots.isEmpty || next == nil {
                if document.root == nil || next == 0 { docHead += group } else { docFoot += group }
            } else {
                docHead += group
            }
        }

        func path(_ s: Int) -> [Int] {
            var out: [Int] = []
            var current = s
            while current >= 0 {
                out.append(slots[current].index)
                current = slots[current].parent
            }
            return out.reversed()
        }
        for (s, text) in heads { apply(path(s), to: &document.root) { $0.head = join($0.head, text) } }
        for (s, text) in lineComments { apply(path(s), to: &document.root) { $0.line = join($0.line, [text]) } }
        for (s, text) in feet { apply(path(s), to: &document.root) { $0.foot = join($0.foot, text) } }
        if !docHead.isEmpty { document.comments.head = join(document.comments.head, docHead) }
        if !docFoot.isEmpty { document.comments.foot = join(document.comments.foot, docFoot) }
    }

    private func join(_ existing: String?, _ lines: [String]) -> String {
        let text = lines.joined(separator: "\n")
        return existing.map { $0 + "\n" + text } ?? text
    }

    private func slotStarts(between a: Int, and b: Int, in slots: [Slot]) -> Bool {
        slots.contains { $0.start > a && $0.start < b }
    }

    /// The innermost entry or item that starts on the comment's line before it; failing that,
    /// the last one whose value ends on that line (a multi-line flow value).
    private func lineSlot(for c: YAMLSourceComment, in slots: [Slot]) -> Int? {
        if let s = slots.lastIndex(where: { $0.line == c.line && $0.start < c.offset }) { return s }
        return slots.lastIndex { $0.endLine == c.line && $0.start < c.offset }
    }

    private func collectSlots(_ node: YAMLNode, parent: Int, into slots: inout [Slot], lines: YAMLLineTable) {
        switch node.shape {
        case .scalar:
            return
        case let .sequence(items):
            for (i, item) in items.enumerated() {
                guard let start = item.source.start else { continue }
                var column = start.column
                var offset = start.offset
                // Point at the `-` of a block item so comments line up with it.
                var k = start.offset - 1
                while k >= 0 && bytes[k] == 0x20 { k -= 1 }
                if node.style == .block, k >= 0, bytes[k] == UInt8(ascii: "-") {
                    column -= start.offset - k
                    offset = k
                }
                let endLine = lines.line(of: max(0, (item.source.byteRange?.upperBound ?? 1) - 1))
                slots.append(Slot(parent: parent, index: i, start: offset, line: start.line, column: column,
                                  endLine: endLine))
                collectSlots(item, parent: slots.count - 1, into: &slots, lines: lines)
            }
        case let .mapping(pairs):
            for (i, pair) in pairs.enumerated() {
                guard let start = pair.key.source.start else { continue }
                let end = pair.value.source.byteRange?.upperBound ?? start.offset + 1
                slots.append(Slot(parent: parent, index: i, start: start.offset, line: start.line, column: start.column,
                                  endLine: lines.line(of: max(0, end - 1))))
                collectSlots(pair.value, parent: slots.count - 1, into: &slots, lines: lines)
            }
        }
    }

    /// Changes the comments of the entry (its key) or item at `path`.
    private func apply(_ path: [Int], to root: inout YAMLNode?, _ change: (inout YAMLComments) -> Void) {
        guard var node = root else { return }
        root = nil
        Self.apply(path[...], to: &node, change)
        root = node
    }

    private static func apply(_ path: ArraySlice<Int>, to node: inout YAMLNode, _ change: (inout YAMLComments) -> Void) {
        guard let index = path.first else {
            var comments = node.comments
            change(&comments)
            node.comments = comments
            return
        }
        let rest = path.dropFirst()
        switch node.content {
        case var .sequence(items) where items.indices.contains(index):
            node.content = .scalar("")
            apply(rest, to: &items[index], change)
            node.content = .sequence(items)
        case var .mapping(pairs) where pairs.indices.contains(index):
            node.content = .scalar("")
            if rest.isEmpty { apply(rest, to: &pairs[index].key, change) } else { apply(rest, to: &pairs[index].value, change) }
            node.content = .mapping(pairs)
        default:
            return
        }
    }
}
