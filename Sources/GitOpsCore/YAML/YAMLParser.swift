/// Reads YAML (1.1/1.2 as libyaml does) into `YAMLStream`s: order kept, aliases expanded,
/// duplicate keys rejected, comments recovered, positions in bytes and `line:col`.
public struct YAMLParser: Sendable {
    /// Deepest nesting accepted; deeper input is an error instead of a stack overflow later.
    public var maxDepth: Int
    /// Most nodes that alias expansion may add across a file ("billion laughs" guard).
    public var maxAliasExpansion: Int

    public init(maxDepth: Int = 256, maxAliasExpansion: Int = 1_000_000) {
        self.maxDepth = maxDepth
        self.maxAliasExpansion = maxAliasExpansion
    }

    /// Parses `bytes` (UTF-8, optional BOM). `file` names the source in errors.
    public func parse(_ bytes: [UInt8], file: String = "<memory>") throws -> YAMLStream {
        var documents: [YAMLDocument] = []
        // Sized up front: growing by doubling would leave up to half the array unused.
        documents.reserveCapacity(Self.estimatedDocumentCount(bytes))
        try parseDocuments(bytes, file: file) { documents.append($0) }
        return YAMLStream(documents: documents, file: file, bytes: bytes)
    }

    /// Parses `bytes` and hands over each document as soon as it is complete, so a long
    /// multi-document stream (a kustomize build, a cluster dump) never has to be held whole.
    public func parseDocuments(_ bytes: [UInt8], file: String = "<memory>",
                               _ body: (YAMLDocument) throws -> Void) throws {
        if let bad = UTF8Check.firstInvalidByte(in: bytes) {
            throw YAMLError.notUTF8(file: file, at: UTF8Check.mark(of: bad, in: bytes), byte: bytes[bad])
        }
        var attacher = bytes.contains(UInt8(ascii: "#")) ? YAMLCommentAttacher(bytes: bytes) : nil
        var windowStart = 0
        // One document is held back until the next starts: the last one's comment window
        // runs to the end of the file.
        var pending: YAMLDocument?
        func handOver(_ document: YAMLDocument, isLast: Bool) throws {
            var document = document
            let windowEnd = isLast ? bytes.count : max(windowStart, Int(document.source.endOffset))
            attacher?.attach(to: &document, window: windowStart..<windowEnd)
            windowStart = windowEnd
            try body(document)
        }
        try bytes.withUnsafeBufferPointer { buffer in
            let reader = LibYAMLEventReader(bytes: buffer, file: file)
            var builder = YAMLTreeBuilder(file: file, bytes: bytes, maxDepth: maxDepth, maxAliasExpansion: maxAliasExpansion)
            while true {
                let event = try reader.next()
                if case .streamEnd = event { break }
                try builder.consume(event)
                guard !builder.documents.isEmpty else { continue }
                for document in builder.documents {
                    if let previous = pending { try handOver(previous, isLast: false) }
                    pending = document
                }
                builder.documents.removeAll(keepingCapacity: true)
            }
        }
        if let last = pending {
            try handOver(last, isLast: true)
        } else if attacher != nil {
            // libyaml reports no document for a file of comments only; keep them in one.
            try handOver(YAMLDocument(root: nil), isLast: true)
        }
    }

    /// One more than the lines starting with `---` (a generous guess at the document count).
    static func estimatedDocumentCount(_ bytes: [UInt8]) -> Int {
        bytes.withUnsafeBufferPointer { b in
            var count = 1
            var lineStart = true
            for i in b.indices {
                let byte = b[i]
                if lineStart && byte == UInt8(ascii: "-") && i + 2 < b.count
                    && b[i + 1] == UInt8(ascii: "-") && b[i + 2] == UInt8(ascii: "-") {
                    count += 1
                }
                lineStart = byte == 0x0A
            }
            return count
        }
    }

    /// Parses UTF-8 text.
    public func parse(_ text: String, file: String = "<memory>") throws -> YAMLStream {
        try parse(Array(text.utf8), file: file)
    }
}

enum UTF8Check {
    /// `line:col` of a byte offset, counting characters as libyaml marks do; every byte before
    /// `offset` is valid UTF-8, so characters are the bytes that do not continue a sequence.
    static func mark(of offset: Int, in bytes: [UInt8]) -> YAMLMark {
        var line = 1
        var column = 1
        let bom: [UInt8] = [0xEF, 0xBB, 0xBF]
        let start = bytes.starts(with: bom) ? min(3, offset) : 0
        for byte in bytes[start..<offset] {
            if byte == UInt8(ascii: "\n") {
                line += 1
                column = 1
            } else if byte & 0xC0 != 0x80 {
                column += 1
            }
        }
        return YAMLMark(line: line, column: column, offset: offset)
    }

    /// The offset of the first byte that breaks UTF-8, or nil. An ASCII fast path keeps this
    /// cheap on manifests.
    static func firstInvalidByte(in bytes: [UInt8]) -> Int? {
        bytes.withUnsafeBufferPointer { b in
            var i = 0
            let n = b.count
            while i < n {
                let lead = b[i]
                if lead < 0x80 { i += 1; continue }
                let length: Int
                switch lead {
                case 0xC2...0xDF: length = 2
                case 0xE0...0xEF: length = 3
                case 0xF0...0xF4: length = 4
                default: return i
                }
                guard i + length <= n else { return i }
                for k in 1..<length where b[i + k] & 0xC0 != 0x80 { return i }
                // Overlongs, surrogates and > U+10FFFF.
                let second = b[i + 1]
                if lead == 0xE0 && second < 0xA0 { return i }
                if lead == 0xED && second >= 0xA0 { return i }
                if lead == 0xF0 && second < 0x90 { return i }
                if lead == 0xF4 && second >= 0x90 { return i }
                i += length
            }
            return nil
        }
    }
}
