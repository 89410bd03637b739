/// Computes the byte splice for one `YAMLEdit` on one document.
struct YAMLSplicer {
    let stream: YAMLStream
    let bytes: [UInt8]
    let root: YAMLNode
    let style: YAMLEmitter

    init(stream: YAMLStream, documentIndex: Int) throws {
        guard stream.documents.indices.contains(documentIndex), let root = stream.documents[documentIndex].root else {
            throw YAMLError.edit(file: stream.file, path: ".", problem: "document \(documentIndex) is empty or missing")
        }
        self.stream = stream
        bytes = stream.bytes
        self.root = root
        style = YAMLSplicer.detectStyle(root, bytes: stream.bytes)
    }

    func apply(_ edit: YAMLEdit) throws -> [UInt8] {
        switch edit {
        case let .set(path, value):
            return try set(path, value)
        case let .insert(path, key, value):
            return try insert(into: path, key: key, value: value)
        case let .append(path, item):
            return try append(to: path, item: item)
        case let .insertItem(path, index, item):
            return try insertItem(into: path, at: index, item: item)
        case let .appendCopy(path):
            return try appendCopy(of: path)
        case let .remove(path):
            return try remove(path)
        case let .clear(path):
            return try clear(path)
        }
    }

    // MARK: edits

    private func set(_ path: YAMLPath, _ value: YAMLNode) throws -> [UInt8] {
        let old = try node(at: path)
        guard let last = path.components.last else { return try replaceRoot(with: value) }
        let oldIsBlock = isBlock(old)
        let anchor: (start: Int, column: Int, inSequenceItem: Bool)
        switch last {
        case .key:
            let parent = try node(at: path.parent)
            guard let pair = parent.entries.first(where: { $0.key.scalar == key(of: last) }),
                  let keyRange = pair.key.source.byteRange else {
                throw error(path, "no such key")
            }
            guard let colon = colonAfter(keyRange.upperBound) else { throw error(path, "cannot find the key's ':'") }
            anchor = (colon + 1, column(of: keyRange.lowerBound), false)
        case .index:
            guard let start = old.source.byteRange?.lowerBound, let dash = dashBefore(start) else {
                // A flow sequence item: re-render the whole parent collection.
                return try set(path.parent, replacing(path, in: try node(at: path.parent), with: value))
            }
            anchor = (dash + 1, column(of: dash), true)
        }
        var end = contentEnd(old)
        if oldIsBlock { end = lineEndExcludingBreak(end) }
        if old.scalar == "" && old.style == .plain { end = anchor.start }
        end = max(end, anchor.start)
        var writer = YAMLWriter(options: style, continuingLine: true)
        writer.writeValue(value, parentIndent: anchor.column, inSequenceItem: anchor.inSequenceItem, lineComment: nil)
        return splice(anchor.start..<end, with: writer.out)
    }

    private func insert(into path: YAMLPath, key: String, value: YAMLNode) throws -> [UInt8] {
        let mapping = try node(at: path)
        guard mapping.isMapping || mapping.isNull else { throw error(path, "not a mapping") }
        guard mapping.index(ofKey: key) == nil else { throw error(path.appending(key: key), "key already exists") }
        guard isBlock(mapping), let firstKey = mapping.entries.first?.key.source.byteRange,
              let lastValue = mapping.entries.last?.value else {
            var changed = mapping
            changed.set(key, value)
            return try path.components.isEmpty ? replaceRoot(with: changed) : set(path, changed)
        }
        let column = column(of: firstKey.lowerBound)
        var writer = YAMLWriter(options: style, continuingLine: false)
        writer.writeMappingBody([YAMLPair(key, value)], indent: column, firstOnCurrentLine: false)
        return insertLines(writer.out, after: contentEnd(lastValue))
    }

    private func append(to path: YAMLPath, item: YAMLNode) throws -> [UInt8] {
        let sequence = try node(at: path)
        guard sequence.isSequence || sequence.isNull else { throw error(path, "not a sequence") }
        guard isBlock(sequence), let first = sequence.items.first?.source.byteRange,
              let dash = dashBefore(first.lowerBound), let lastItem = sequence.items.last else {
            var changed = sequence
            changed.append(item)
            return try path.components.isEmpty ? replaceRoot(with: changed) : set(path, changed)
        }
        var writer = YAMLWriter(options: style, continuingLine: false)
        writer.writeSequenceBody([item], indent: column(of: dash), firstOnCurrentLine: false)
        return insertLines(writer.out, after: contentEnd(lastItem), atEndWithoutBreak: .continueLastLine)
    }

    private func insertItem(into path: YAMLPath, at index: Int, item: YAMLNode) throws -> [UInt8] {
        let sequence = try node(at: path)
        guard sequence.isSequence || sequence.isNull else { throw error(path, "not a sequence") }
        guard sequence.items.indices.contains(index) else {
            guard index == sequence.items.count else { throw error(path.appending(index: index), "no such index") }
            return try append(to: path, item: item)
        }
        let next = sequence.items[index]
        guard isBlock(sequence), let start = next.source.byteRange?.lowerBound, let dash = dashBefore(start),
              onlyBlanksBefore(dash) else {
            var changed = sequence
            changed.insert(item, at: index)
            return try path.components.isEmpty ? replaceRoot(with: changed) : set(path, changed)
        }
        var writer = YAMLWriter(options: style, continuingLine: false)
        writer.writeSequenceBody([item], indent: column(of: dash), firstOnCurrentLine: false)
        let at = firstLine(of: dash, headComment: next.comments.head)
        return splice(at..<at, with: writer.out + "\n")
    }

    private func appendCopy(of path: YAMLPath) throws -> [UInt8] {
        guard case .index? = path.components.last else { throw error(path, "not a sequence item") }
        let sequence = try node(at: path.parent)
        let original = try node(at: path)
        guard isBlock(sequence), let start = original.source.byteRange?.lowerBound, let dash = dashBefore(start),
              onlyBlanksBefore(dash), let last = sequence.items.last else {
            throw error(path, "only items of a block sequence can be copied")
        }
        let text = uncommentedLines(lineStart(of: dash)..<lineEndExcludingBreak(contentEnd(original)), of: original)
        return insertLines(text, after: contentEnd(last), atEndWithoutBreak: .continueLastLine)
    }

    private func remove(_ path: YAMLPath) throws -> [UInt8] {
        guard let last = path.components.last else { throw error(path, "cannot remove the document itself") }
        let parent = try node(at: path.parent)
        let target = try node(at: path)
        let shrunk = replacing(path, in: parent, with: nil)
        let remaining = shrunk.isMapping ? shrunk.entries.count : shrunk.items.count
        guard isBlock(parent), remaining > 0 else {
            return try path.parent.components.isEmpty ? replaceRoot(with: shrunk) : set(path.parent, shrunk)
        }
        let start: Int
        let head: String?
        switch last {
        case .key:
            guard let pair = parent.entries.first(where: { $0.key.scalar == key(of: last) }),
                  let keyStart = pair.key.source.byteRange?.lowerBound else { throw error(path, "no such key") }
            // The first key of `- key: v` shares its line with the dash: re-render the item.
            guard onlyBlanksBefore(keyStart) else { return try set(path.parent, shrunk) }
            start = keyStart
            head = pair.key.comments.head
        case .index:
            guard let itemStart = target.source.byteRange?.lowerBound, let dash = dashBefore(itemStart),
                  onlyBlanksBefore(dash) else { return try set(path.parent, shrunk) }
            start = dash
            head = target.comments.head
        }
        let from = firstLine(of: start, headComment: head)
        let to = lineEndIncludingBreak(contentEnd(target))
        return removeLines(from..<to)
    }

    private func clear(_ path: YAMLPath) throws -> [UInt8] {
        guard !path.components.isEmpty else { throw error(path, "cannot clear the document itself") }
        let collection = try node(at: path)
        let first: (start: Int?, head: String?)
        switch collection.content {
        case let .sequence(items):
            first = (items.first?.source.byteRange.flatMap { dashBefore($0.lowerBound) }, items.first?.comments.head)
        case let .mapping(pairs):
            first = (pairs.first?.key.source.byteRange?.lowerBound, pairs.first?.key.comments.head)
        case .scalar:
            throw error(path, "not a collection")
        }
        guard isBlock(collection), let start = first.start, onlyBlanksBefore(start) else {
            throw error(path, "only a block collection on lines of its own can be cleared")
        }
        let from = firstLine(of: start, headComment: first.head)
        let to = lineEndIncludingBreak(contentEnd(collection))
        return removeLines(from..<to)
    }

    private func replaceRoot(with value: YAMLNode) throws -> [UInt8] {
        guard let range = root.source.byteRange else { throw error(YAMLPath(), "the document has no position") }
        var text = style.emit(value)
        if text.hasSuffix("\n") { text.removeLast() }
        return splice(range.lowerBound..<lineEndExcludingBreak(contentEnd(root)), with: text)
    }

    // MARK: tree helpers

    private func key(of component: YAMLPath.Component) -> String? {
        if case let .key(k) = component { return k }
        return nil
    }

    private func node(at path: YAMLPath) throws -> YAMLNode {
        guard let node = root[path: path] else { throw error(path, "no such key or index") }
        // Below an alias the positions are the anchor's: an edit there would change every copy.
        var prefix = YAMLPath()
        for component in path.components.dropLast() {
            prefix = prefix.appending(component)
            if let name = root[path: prefix]?.alias {
                throw error(path, "it is inside the alias *\(name); edit the anchor &\(name) instead")
            }
        }
        return node
    }

    /// `parent` with the child at the last component of `path` replaced (nil removes it).
    private func replacing(_ path: YAMLPath, in parent: YAMLNode, with value: YAMLNode?) -> YAMLNode {
        var changed = parent
        switch path.components.last {
        case let .key(k)?:
            if let value { changed.set(k, value) } else { changed.removeValue(forKey: k) }
        case let .index(i)?:
            changed[i] = value
        case nil:
            break
        }
        return changed
    }

    private func isBlock(_ node: YAMLNode) -> Bool {
        YAMLWriter(options: style).isBlockCollection(node)
    }

    /// Where a node's own text ends: block collections end with their last descendant, not
    /// where libyaml closes them (after trailing comments and blank lines).
    private func contentEnd(_ node: YAMLNode) -> Int {
        let own = node.source.byteRange?.upperBound ?? 0
        guard isBlock(node) else { return own }
        switch node.content {
        case let .mapping(pairs): return pairs.last.map { contentEnd($0.value) } ?? own
        case let .sequence(items): return items.last.map(contentEnd) ?? own
        case .scalar: return own
        }
    }

    // MARK: byte helpers

    /// Replaces `range` with `text`, its line breaks written as the file writes them (CRLF files
    /// stay CRLF).
    private func splice(_ range: Range<Int>, with text: String) -> [UInt8] {
        var replacement = Array(text.utf8)
        if usesCRLF {
            replacement = replacement.flatMap { $0 == 0x0A ? [0x0D, 0x0A] : [$0] }
        }
        var out = bytes
        out.replaceSubrange(range, with: replacement)
        return out
    }

    private var usesCRLF: Bool {
        guard let lf = bytes.firstIndex(of: 0x0A) else { return false }
        return lf > 0 && bytes[lf - 1] == 0x0D
    }

    /// What lines added at the end of a file without a final line break end with.
    private enum EndWithoutBreak {
        /// A new sequence item continues the list the file ends with, so the new last line
        /// has no break either, and removing the item gives the original bytes back.
        case continueLastLine
        /// A new mapping entry is a block of its own and ends with a break, as emitted blocks do.
        case endWithBreak
    }

    /// Inserts whole lines after the line holding `offset - 1`.
    private func insertLines(_ text: String, after offset: Int,
                             atEndWithoutBreak ending: EndWithoutBreak = .endWithBreak) -> [UInt8] {
        let at = lineEndIncludingBreak(offset)
        var insertion = text + "\n"
        if at == bytes.count, let last = bytes.last, last != 0x0A {
            insertion = "\n" + text + (ending == .endWithBreak ? "\n" : "")
        }
        return splice(at..<at, with: insertion)
    }

    /// Removes whole lines. When they end the file and it has no final line break, the line
    /// before loses its break instead, so the file still ends without one.
    private func removeLines(_ lines: Range<Int>) -> [UInt8] {
        var from = lines.lowerBound
        if lines.upperBound == bytes.count, bytes.last != 0x0A, from > 0 {
            from -= from >= 2 && bytes[from - 2] == 0x0D ? 2 : 1
        }
        return splice(from..<lines.upperBound, with: "")
    }

    /// Where the lines of the entry or item starting at `start` begin: its own line, or the
    /// first of the comment lines directly above it that the parser attached to it. A comment
    /// block with a blank line above it heads a section rather than this entry, so it stays put.
    private func firstLine(of start: Int, headComment: String?) -> Int {
        let ownLine = lineStart(of: start)
        let commentLines = headComment?.split(separator: "\n", omittingEmptySubsequences: false).count ?? 0
        var line = ownLine
        for _ in 0..<commentLines where line > 0 {
            let previous = lineStart(of: line - 1)
            guard bytes[previous..<line].first(where: { $0 != 0x20 && $0 != 0x09 }) == UInt8(ascii: "#") else { break }
            line = previous
        }
        guard line < ownLine, line > 0 else { return line }
        let above = bytes[lineStart(of: line - 1)..<line]
        return above.allSatisfy { $0 == 0x20 || $0 == 0x09 || $0 == 0x0D || $0 == 0x0A } ? ownLine : line
    }

    /// The text of `range` (whole lines of `node`) without comments: full-line comments are
    /// dropped and comments after a value are cut with the blanks before them. Bytes inside
    /// scalars and flow collections are never taken for comments.
    private func uncommentedLines(_ range: Range<Int>, of node: YAMLNode) -> String {
        let protected = textRanges(in: node)
        var lines: [String] = []
        var start = range.lowerBound
        while start < range.upperBound {
            var end = start
            while end < range.upperBound && bytes[end] != 0x0A { end += 1 }
            var cut = end, i = start
            while i < end {
                if let text = protected.first(where: { $0.contains(i) }) { i = text.upperBound; continue }
                if bytes[i] == UInt8(ascii: "#") && (i == start || bytes[i - 1] == 0x20 || bytes[i - 1] == 0x09) {
                    cut = i
                    break
                }
                i += 1
            }
            var kept = bytes[start..<cut]
            while let last = kept.last, last == 0x0D || (cut < end && (last == 0x20 || last == 0x09)) { kept.removeLast() }
            if cut == end || !kept.allSatisfy({ $0 == 0x20 || $0 == 0x09 }) {
                lines.append(String(decoding: kept, as: UTF8.self))
            }
            start = end + 1
        }
        return lines.joined(separator: "\n")
    }

    /// The byte ranges of the scalars and flow collections under `node`.
    private func textRanges(in node: YAMLNode) -> [Range<Int>] {
        guard node.style != .flow else { return node.source.byteRange.map { [$0] } ?? [] }
        switch node.content {
        case .scalar: return node.source.byteRange.map { [$0] } ?? []
        case let .mapping(pairs): return pairs.flatMap { textRanges(in: $0.key) + textRanges(in: $0.value) }
        case let .sequence(items): return items.flatMap(textRanges(in:))
        }
    }

    private func lineStart(of offset: Int) -> Int {
        var i = min(offset, bytes.count)
        while i > 0 && bytes[i - 1] != 0x0A { i -= 1 }
        return i
    }

    /// The end of the line holding `offset - 1` (the last byte of some content), before its break.
    private func lineEndExcludingBreak(_ offset: Int) -> Int {
        var i = max(0, offset - 1)
        if i < bytes.count && bytes[i] == 0x0A { return i }
        while i < bytes.count && bytes[i] != 0x0A { i += 1 }
        if i > 0 && i <= bytes.count && bytes[i - 1] == 0x0D { i -= 1 }
        return i
    }

    private func lineEndIncludingBreak(_ offset: Int) -> Int {
        var i = max(0, offset - 1)
        while i < bytes.count && bytes[i] != 0x0A { i += 1 }
        return min(i + 1, bytes.count)
    }

    private func column(of offset: Int) -> Int { offset - lineStart(of: offset) }

    private func onlyBlanksBefore(_ offset: Int) -> Bool {
        bytes[lineStart(of: offset)..<offset].allSatisfy { $0 == 0x20 }
    }

    private func colonAfter(_ offset: Int) -> Int? {
        var i = offset
        while i < bytes.count && (bytes[i] == 0x20 || bytes[i] == 0x09) { i += 1 }
        return i < bytes.count && bytes[i] == UInt8(ascii: ":") ? i : nil
    }

    private func dashBefore(_ offset: Int) -> Int? {
        var i = offset - 1
        while i >= 0 && bytes[i] == 0x20 { i -= 1 }
        return i >= 0 && bytes[i] == UInt8(ascii: "-") ? i : nil
    }

    private func error(_ path: YAMLPath, _ problem: String) -> YAMLError {
        .edit(file: stream.file, path: path.description, problem: problem)
    }

    // MARK: style detection

    /// The file's indentation step and where its sequences sit under keys, so new lines look
    /// like their neighbours. Defaults to kubectl's 2-space compact style.
    static func detectStyle(_ root: YAMLNode, bytes: [UInt8]) -> YAMLEmitter {
        var indent: Int?
        var sequenceIndent: YAMLEmitter.SequenceIndent?
        func column(_ offset: Int) -> Int {
            var i = offset
            while i > 0 && bytes[i - 1] != 0x0A { i -= 1 }
            return offset - i
        }
        func visit(_ node: YAMLNode, depth: Int) {
            guard depth < 64, indent == nil || sequenceIndent == nil, node.style == .block else { return }
            for pair in node.entries {
                guard let keyStart = pair.key.source.byteRange?.lowerBound else { continue }
                let keyColumn = column(keyStart)
                if pair.value.style == .block, let child = pair.value.entries.first?.key.source.byteRange?.lowerBound,
                   indent == nil, column(child) > keyColumn {
                    indent = column(child) - keyColumn
                }
                if pair.value.style == .block, let item = pair.value.items.first?.source.byteRange?.lowerBound,
                   sequenceIndent == nil {
                    var dash = item - 1
                    while dash > 0 && bytes[dash] == 0x20 { dash -= 1 }
                    sequenceIndent = column(dash) > keyColumn ? .indented : .compact
                }
                visit(pair.value, depth: depth + 1)
            }
            for item in node.items { visit(item, depth: depth + 1) }
        }
        visit(root, depth: 0)
        return YAMLEmitter(indent: indent ?? 2, sequenceIndent: sequenceIndent ?? .compact)
    }
}
