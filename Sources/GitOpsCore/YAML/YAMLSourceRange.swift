/// A position in a source file: 1-based line and column (in characters, as editors count)
/// and the 0-based byte offset.
public struct YAMLMark: Sendable, Hashable, CustomStringConvertible {
    public var line: Int
    public var column: Int
    public var offset: Int

    public init(line: Int, column: Int, offset: Int) {
        self.line = line
        self.column = column
        self.offset = offset
    }

    /// `line:col`.
    public var description: String { "\(line):\(column)" }
}

/// Where a node sits in its source: the byte range of its text (anchor and tag included)
/// and the `line:col` where it starts. Stored compactly; nodes built in memory have `.none`.
public struct YAMLSourceRange: Sendable, Hashable {
    var startOffset: UInt32
    var endOffset: UInt32
    var startLine: UInt32
    var startColumn: UInt32

    /// No source: the node was built in memory.
    public static let none = YAMLSourceRange(startOffset: .max, endOffset: .max, startLine: 0, startColumn: 0)

    init(startOffset: UInt32, endOffset: UInt32, startLine: UInt32, startColumn: UInt32) {
        self.startOffset = startOffset
        self.endOffset = endOffset
        self.startLine = startLine
        self.startColumn = startColumn
    }

    /// Whether this node came from a parsed source.
    public var isKnown: Bool { startOffset != .max }

    /// The byte range in the source, `nil` for built nodes.
    public var byteRange: Range<Int>? {
        isKnown ? Int(startOffset)..<Int(endOffset) : nil
    }

    /// Where the node starts, `nil` for built nodes.
    public var start: YAMLMark? {
        isKnown ? YAMLMark(line: Int(startLine), column: Int(startColumn), offset: Int(startOffset)) : nil
    }
}
