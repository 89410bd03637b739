/// Line-level edits of one top-level list of a parsed YAML file (`resources` of a
/// kustomization, `creation_rules` of `.sops.yaml`): whole lines are inserted or deleted at
/// the byte offsets the parser reported, so every other byte — comments, blank lines,
/// indentation, quoting — stays as it was. Deleting what was inserted gives back the
/// original bytes exactly.
///
/// This is the small splice `tenant add` needs; it belongs with the YAML layer's surgical
/// edits once those land.
struct ListSplice {
    let stream: YAMLStream
    let key: String

    private var bytes: [UInt8] { stream.bytes }
    private var file: String { stream.file }

    init(_ stream: YAMLStream, key: String) {
        self.stream = stream
        self.key = key
    }

    /// The list's root mapping (first document).
    private func root() throws(CapsuleError) -> YAMLNode {
        guard let root = stream.documents.first?.root, root.isMapping || root.isNullScalar else {
            throw .unexpectedLayout(file: file, reason: "expected a mapping at the top")
        }
        return root
    }

    /// The list's items, empty when the key is missing or null.
    func items() throws(CapsuleError) -> [YAMLNode] {
        guard let list = try root()[key], !list.isNullScalar else { return [] }
        guard list.isSequence else { throw .unexpectedLayout(file: file, reason: "\(key) is not a list") }
        return list.items
    }

    /// Inserts one item written as `lines` (the first line follows the dash; the others are
    /// indented to align under it) before item `index`, or after the last item when nil.
    func inserting(_ lines: [String], before index: Int? = nil) throws(CapsuleError) -> [UInt8] {
        let root = try root()
        guard let list = root[key], !list.isNullScalar else { return try addingKey(lines, root: root) }
        guard list.isSequence else { throw .unexpectedLayout(file: file, reason: "\(key) is not a list") }
        if list.style == .flow { return try insertingFlow(lines, into: list) }
        guard let template = list.items.last, let dash = dashPrefix(of: template) else {
            throw .unexpectedLayout(file: file, reason: "cannot find where \(key) items start")
        }
        let text = Self.item(lines, dash: dash)
        if let index, list.items.indices.contains(index) {
            return splice(at: firstLine(of: list.items[index]), insert: text)
        }
        let end = lineEnd(after: endOffset(of: template))
        if end == bytes.count, bytes.last != UInt8(ascii: "\n") {
            // The file ends without a newline: the new line goes after one, and has none.
            return splice(at: end, insert: "\n" + text.dropLast())
        }
        return splice(at: end, insert: text)
    }

    /// Removes item `index` with the comment lines directly above it that the parser
    /// attached to it.
    func removing(at index: Int) throws(CapsuleError) -> [UInt8] {
        let items = try items()
        guard items.indices.contains(index) else {
            throw .unexpectedLayout(file: file, reason: "\(key) has no item \(index)")
        }
        let list = try root()[key]
        if list?.style == .flow { return try removingFlow(items[index]) }
        var start = firstLine(of: items[index])
        let end = lineEnd(after: endOffset(of: items[index]))
        if end == bytes.count, bytes.last != UInt8(ascii: "\n"), start > 0 { start -= 1 }
        return Array(bytes[..<start] + bytes[end...])
    }

    /// The source text of item `index`'s lines (dash line to the end of its last line),
    /// for copying an item's layout.
    func sourceLines(of index: Int) throws(CapsuleError) -> (text: String, offset: Int) {
        let items = try items()
        guard items.indices.contains(index), let range = items[index].source.byteRange else {
            throw .unexpectedLayout(file: file, reason: "\(key) has no item \(index)")
        }
        let start = lineStart(of: range.lowerBound)
        let end = lineEnd(after: endOffset(of: items[index]))
        return (String(decoding: bytes[start..<end], as: UTF8.self), start)
    }

    // MARK: block lists

    /// `  - ` for an item written `  - xonery`: whitespace, a dash and the spaces after it.
    private func dashPrefix(of item: YAMLNode) -> String? {
        guard let start = item.source.byteRange?.lowerBound else { return nil }
        let prefix = String(decoding: bytes[lineStart(of: start)..<start], as: UTF8.self)
        let trimmed = prefix.drop { $0 == " " }
        guard trimmed.first == "-", trimmed.dropFirst().allSatisfy({ $0 == " " }) else { return nil }
        return prefix
    }

    private static func item(_ lines: [String], dash: String) -> String {
        let continuation = String(repeating: " ", count: dash.count)
        return lines.enumerated().map { ($0.offset == 0 ? dash : continuation) + $0.element + "\n" }.joined()
    }

    /// The offset of the first line belonging to `item`: its dash line, or the first of the
    /// comment lines above it that the parser attached to it. A comment block set off by a
    /// blank line above it heads a section of the list rather than this item, so it stays put.
    private func firstLine(of item: YAMLNode) -> Int {
        guard let start = item.source.byteRange?.lowerBound else { return 0 }
        let dashLine = lineStart(of: start)
        var line = dashLine
        let commentLines = item.comments.head.map { $0.split(separator: "\n", omittingEmptySubsequences: false).count } ?? 0
        for _ in 0..<commentLines where line > 0 {
            let previous = lineStart(of: line - 1)
            let text = String(decoding: bytes[previous..<line], as: UTF8.self).drop { $0 == " " || $0 == "\t" }
            guard text.hasPrefix("#") else { break }
            line = previous
        }
        guard line < dashLine, line > 0 else { return line }
        let above = bytes[lineStart(of: line - 1)..<line]
        return above.allSatisfy { $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\t") || $0 == UInt8(ascii: "\n") }
            ? dashLine : line
    }

    /// Where an item's content ends: the end of its last scalar (or flow collection). A block
    /// collection's own reported end runs on over the comments and blank lines after it, which
    /// belong to whatever follows.
    private func endOffset(of item: YAMLNode) -> Int {
        guard let range = item.source.byteRange else { return bytes.count }
        var end = range.upperBound
        if item.style != .flow {
            switch item.content {
            case .mapping(let pairs) where !pairs.isEmpty:
                end = pairs.map { max(endOffset(of: $0.key), endOffset(of: $0.value)) }.max() ?? end
            case .sequence(let items) where !items.isEmpty:
                end = items.map(endOffset(of:)).max() ?? end
            default:
                break
            }
        }
        while end > range.lowerBound, bytes[end - 1] == UInt8(ascii: "\n") || bytes[end - 1] == UInt8(ascii: " ") {
            end -= 1
        }
        return end
    }

    // MARK: missing key, flow lists

    private func addingKey(_ lines: [String], root: YAMLNode) throws(CapsuleError) -> [UInt8] {
        if let index = root.index(ofKey: key) {
            // `key:` with no value: the item goes on the next line, at the key's column.
            let keyNode = root.entries[index].key
            guard let range = keyNode.source.byteRange else {
                throw .unexpectedLayout(file: file, reason: "cannot find \(key)")
            }
            let indent = String(repeating: " ", count: range.lowerBound - lineStart(of: range.lowerBound))
            let end = lineEnd(after: range.upperBound)
            let prefix = end == bytes.count && bytes.last != UInt8(ascii: "\n") ? "\n" : ""
            return splice(at: end, insert: prefix + Self.item(lines, dash: indent + "- "))
        }
        let prefix = bytes.isEmpty || bytes.last == UInt8(ascii: "\n") ? "" : "\n"
        return splice(at: bytes.count, insert: prefix + "\(key):\n" + Self.item(lines, dash: "- "))
    }

    private func insertingFlow(_ lines: [String], into list: YAMLNode) throws(CapsuleError) -> [UInt8] {
        guard lines.count == 1, let range = list.source.byteRange, range.upperBound > 0,
              bytes[range.upperBound - 1] == UInt8(ascii: "]") else {
            throw .unexpectedLayout(file: file, reason: "cannot add to the flow list \(key); write it as a block list")
        }
        let separator = list.items.isEmpty ? "" : ", "
        return splice(at: range.upperBound - 1, insert: separator + lines[0])
    }

    private func removingFlow(_ item: YAMLNode) throws(CapsuleError) -> [UInt8] {
        guard let range = item.source.byteRange else {
            throw .unexpectedLayout(file: file, reason: "cannot find the item in \(key)")
        }
        var start = range.lowerBound, end = range.upperBound
        var before = start
        while before > 0, bytes[before - 1] == UInt8(ascii: " ") { before -= 1 }
        if before > 0, bytes[before - 1] == UInt8(ascii: ",") {
            start = before - 1
        } else {
            var after = end
            while after < bytes.count, bytes[after] == UInt8(ascii: " ") { after += 1 }
            if after < bytes.count, bytes[after] == UInt8(ascii: ",") {
                end = after + 1
                while end < bytes.count, bytes[end] == UInt8(ascii: " ") { end += 1 }
            }
        }
        return Array(bytes[..<start] + bytes[end...])
    }

    // MARK: bytes

    private func splice(at offset: Int, insert text: some StringProtocol) -> [UInt8] {
        Array(bytes[..<offset]) + Array(text.utf8) + Array(bytes[offset...])
    }

    private func lineStart(of offset: Int) -> Int {
        var i = min(offset, bytes.count)
        while i > 0, bytes[i - 1] != UInt8(ascii: "\n") { i -= 1 }
        return i
    }

    /// The offset just past the newline ending the line that holds `offset` (or the end).
    private func lineEnd(after offset: Int) -> Int {
        var i = offset
        while i < bytes.count, bytes[i] != UInt8(ascii: "\n") { i += 1 }
        return min(i + 1, bytes.count)
    }
}

