/// The collections of one parsed document, stored flat: every mapping's keys and values back
/// to back, every sequence's items back to back, and a 12-byte record per collection saying
/// where its children are.
///
/// A manifest stream has about one collection per four nodes. Giving each its own Swift array
/// costs a heap block with a 32-byte header and allocator padding, which for a 10 MB stream
/// held whole was a fifth of the memory. Parsed collections point here instead; a collection
/// changed in memory gets an ordinary array again. Keys are stored in 12 bytes instead of a
/// 24-byte node when they are what nearly every key is: a scalar whose text is its source.
///
/// Nodes stored inside the arena cannot hold a strong reference to it (that would be a cycle
/// and the document would never be freed), so a collection stored here is an unbound member:
/// it has only its record number, and is bound to the arena whenever it is read out.
final class YAMLNodeArena: Sendable {
    /// Where one collection's children are, and where the collection ends in the source (the
    /// node keeps its start; its end-offset slot holds the record number instead).
    struct Record: Sendable {
        var first: UInt32
        /// The child count in the low 30 bits; bit 31 marks a mapping, bit 30 a collection with
        /// a tag, anchor or alias (kept in `extras`).
        var packedCount: UInt32
        var endOffset: UInt32

        static let mappingBit: UInt32 = 1 << 31
        static let extrasBit: UInt32 = 1 << 30

        var isMapping: Bool { packedCount & Self.mappingBit != 0 }
        var hasExtras: Bool { packedCount & Self.extrasBit != 0 }
        var range: Range<Int> {
            let start = Int(first)
            return start ..< start + Int(packedCount & (Self.extrasBit - 1))
        }
    }

    /// The source bytes compact keys read their text from.
    let bytes: [UInt8]
    /// Mapping keys and values: entry `i` is `keys[i]: values[i]`.
    let keys: [YAMLCompactKey]
    let values: [YAMLNode]
    /// Keys that do not fit a `YAMLCompactKey` (tagged, escaped, collections, far columns).
    let fullKeys: [YAMLNode]
    let items: [YAMLNode]
    let records: [Record]
    /// Tag, anchor or alias of the few collections that have one, by record number.
    let extras: [UInt32: YAMLNode.Extras]

    init(bytes: [UInt8], keys: [YAMLCompactKey], values: [YAMLNode], fullKeys: [YAMLNode], items: [YAMLNode],
         records: [Record], extras: [UInt32: YAMLNode.Extras]) {
        self.bytes = bytes
        self.keys = keys
        self.values = values
        self.fullKeys = fullKeys
        self.items = items
        self.records = records
        self.extras = extras
    }

    /// The key of mapping entry `index`.
    func key(at index: Int) -> YAMLNode {
        let key = keys[index]
        if let full = key.fullKeyIndex { return fullKeys[full] }
        return YAMLNode(sourceScalarIn: bytes, compactKey: key)
    }

    /// Whether the key of mapping entry `index` is the scalar `wanted` (compared in place).
    func key(at index: Int, is wanted: UnsafeBufferPointer<UInt8>) -> Bool {
        let key = keys[index]
        if let full = key.fullKeyIndex { return fullKeys[full].hasScalarText(wanted) }
        return YAMLNode.sourceText(of: bytes, in: key.textRange, equals: wanted)
    }

    /// The children of collection `record`, read without copying them out.
    func children(of record: Int) -> YAMLNode.Shape {
        let entry = records[record]
        if entry.isMapping {
            return .mapping(YAMLChildren(arena: self, entry.range))
        }
        return .sequence(YAMLChildren(arena: self, entry.range))
    }

    /// The content of collection `record` as the public model's arrays (a copy).
    func content(of record: Int) -> YAMLNode.Content {
        let entry = records[record]
        if entry.isMapping {
            return .mapping(entry.range.map { YAMLPair.read(from: self, at: $0) })
        }
        return .sequence(entry.range.map { YAMLNode.read(from: self, at: $0) })
    }
}

/// A mapping key stored in 12 bytes: a scalar (plain or quoted) whose text is its source text,
/// with no tag or anchor. Keys that do not fit are kept whole in `YAMLNodeArena.fullKeys`.
struct YAMLCompactKey: Sendable {
    var startOffset: UInt32
    /// Line in bits 0–23, style in bits 24–31 (`fullKeyStyle`: `startOffset` indexes `fullKeys`).
    var lineAndStyle: UInt32
    /// Column in bits 0–19, source length in bits 20–31.
    var columnAndLength: UInt32

    private static let fullKeyStyle: UInt32 = 0xFF

    static func full(at index: Int) -> YAMLCompactKey {
        YAMLCompactKey(startOffset: UInt32(index), lineAndStyle: fullKeyStyle << 24, columnAndLength: 0)
    }

    /// The compact form of a parsed key, nil when it does not fit.
    init?(_ key: YAMLNode) {
        guard let parts = key.compactKeyParts else { return nil }
        let length = Int(parts.source.endOffset) - Int(parts.source.startOffset)
        guard parts.source.isKnown, parts.source.startLine < 1 << 24, parts.source.startColumn < 1 << 20,
              length >= 0, length < 1 << 12 else { return nil }
        self.init(startOffset: parts.source.startOffset,
                  lineAndStyle: parts.source.startLine | UInt32(parts.style.rawValue) << 24,
                  columnAndLength: parts.source.startColumn | UInt32(length) << 20)
    }

    private init(startOffset: UInt32, lineAndStyle: UInt32, columnAndLength: UInt32) {
        self.startOffset = startOffset
        self.lineAndStyle = lineAndStyle
        self.columnAndLength = columnAndLength
    }

    var fullKeyIndex: Int? { lineAndStyle >> 24 == Self.fullKeyStyle ? Int(startOffset) : nil }
    var style: YAMLStyle { YAMLStyle(rawValue: UInt8(lineAndStyle >> 24)) ?? .plain }
    var source: YAMLSourceRange {
        YAMLSourceRange(startOffset: startOffset, endOffset: startOffset + (columnAndLength >> 20),
                        startLine: lineAndStyle & 0xFF_FFFF, startColumn: columnAndLength & 0xF_FFFF)
    }
    var textRange: Range<Int> {
        YAMLNode.textRange(start: Int(startOffset), end: Int(startOffset + (columnAndLength >> 20)), style: style)
    }
}

/// Something a `YAMLNodeArena` stores for collections: read out bound to the arena.
protocol YAMLArenaMember {
    static func read(from arena: YAMLNodeArena, at index: Int) -> Self
}

extension YAMLNode: YAMLArenaMember {
    static func read(from arena: YAMLNodeArena, at index: Int) -> YAMLNode {
        arena.items[index].bound(in: arena)
    }
}

extension YAMLPair: YAMLArenaMember {
    static func read(from arena: YAMLNodeArena, at index: Int) -> YAMLPair {
        YAMLPair(key: arena.key(at: index), value: arena.values[index].bound(in: arena))
    }
}

/// A collection's children where they are stored (an array, or a range of a document's
/// arena), read out bound to the arena. Walks that only look use this and skip the copy that
/// `content` makes of a parsed collection.
struct YAMLChildren<Element: YAMLArenaMember>: RandomAccessCollection {
    private let array: [Element]
    private let arena: YAMLNodeArena?
    private let range: Range<Int>

    init(arena: YAMLNodeArena, _ range: Range<Int>) {
        self.array = []
        self.arena = arena
        self.range = range
    }

    init(_ array: [Element]) {
        self.array = array
        self.arena = nil
        self.range = array.indices
    }

    var startIndex: Int { 0 }
    var endIndex: Int { range.count }

    subscript(position: Int) -> Element {
        guard let arena else { return array[position] }
        return Element.read(from: arena, at: range.lowerBound + position)
    }
}
