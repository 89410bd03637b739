/// The collections of one parsed document, stored flat: every mapping's entries back to back
/// in one array, every sequence's items in another, and a 12-byte record per collection saying
/// where its children are.
///
/// A manifest stream has about one collection per four nodes. Giving each its own Swift array
/// costs a heap block with a 32-byte header and allocator padding, which for a 10 MB stream
/// held whole was a fifth of the memory. Parsed collections point here instead; a collection
/// changed in memory gets an ordinary array again.
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

    let pairs: [YAMLPair]
    let items: [YAMLNode]
    let records: [Record]
    /// Tag, anchor or alias of the few collections that have one, by record number.
    let extras: [UInt32: YAMLNode.Extras]

    init(pairs: [YAMLPair], items: [YAMLNode], records: [Record], extras: [UInt32: YAMLNode.Extras]) {
        self.pairs = pairs
        self.items = items
        self.records = records
        self.extras = extras
    }

    /// The children of collection `record`, read without copying them out.
    func children(of record: Int) -> YAMLNode.Shape {
        let entry = records[record]
        if entry.isMapping {
            return .mapping(YAMLChildren(pairs[entry.range], arena: self))
        }
        return .sequence(YAMLChildren(items[entry.range], arena: self))
    }

    /// The content of collection `record` as the public model's arrays (a copy).
    func content(of record: Int) -> YAMLNode.Content {
        let entry = records[record]
        if entry.isMapping {
            return .mapping(pairs[entry.range].map { $0.bound(in: self) })
        }
        return .sequence(items[entry.range].map { $0.bound(in: self) })
    }
}

/// Something that can sit in a `YAMLNodeArena` and must be bound to it when read out.
protocol YAMLArenaMember {
    func bound(in arena: YAMLNodeArena) -> Self
}

extension YAMLPair: YAMLArenaMember {
    func bound(in arena: YAMLNodeArena) -> YAMLPair {
        YAMLPair(key: key.bound(in: arena), value: value.bound(in: arena))
    }
}

/// A collection's children where they are stored (an array, or a range of a document's
/// arena), bound to the arena as they are read. Walks that only look use this and skip the
/// copy that `content` makes of a parsed collection.
struct YAMLChildren<Element: YAMLArenaMember>: RandomAccessCollection {
    private let base: ArraySlice<Element>
    private let arena: YAMLNodeArena?

    init(_ base: ArraySlice<Element>, arena: YAMLNodeArena?) {
        self.base = base
        self.arena = arena
    }

    init(_ array: [Element]) {
        self.init(array[...], arena: nil)
    }

    var startIndex: Int { 0 }
    var endIndex: Int { base.count }

    subscript(position: Int) -> Element {
        let element = base[base.startIndex + position]
        guard let arena else { return element }
        return element.bound(in: arena)
    }
}

extension YAMLNode: YAMLArenaMember {}
