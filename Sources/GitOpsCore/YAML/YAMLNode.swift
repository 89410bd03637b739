import Foundation

/// One node of a YAML (or JSON) document: a scalar, a sequence or a mapping, with the
/// presentation details a faithful re-emit needs (style, tag, anchor, comments) and where it
/// came from in the source (byte range and `line:col`).
///
/// Nodes are values. Aliases are resolved while parsing, so an aliased subtree appears as a
/// copy (sharing storage until one copy is changed). A 10 MB manifest stream holds about a
/// million nodes, so a node is kept to 24 bytes: a parsed scalar whose text is exactly its
/// source bytes (most of them) shares the stream's bytes instead of owning a string, a parsed
/// collection keeps its children in its document's `YAMLNodeArena` instead of an array of its
/// own, and the rarely used details (tag, anchor, comments) live with the content in one
/// shared, immutable `Extras` object.
///
/// Equality compares data, not presentation: content, tag and whether a scalar is plain
/// (so `42` and `"42"` differ) — not positions, comments, anchors or quoting style.
public struct YAMLNode: Sendable {
    /// What a node holds.
    public enum Content: Sendable {
        /// The scalar's text after unquoting, unescaping and block folding.
        case scalar(String)
        case sequence([YAMLNode])
        case mapping([YAMLPair])
    }

    /// The content as stored: every case is one reference, so the enum is one word.
    private enum Storage: Sendable {
        /// A scalar whose text is `textRange` of these (the parsed stream's) bytes.
        case source([UInt8])
        case text(Text)
        case sequence([YAMLNode])
        case mapping([YAMLPair])
        /// Content with a tag, anchor, comments or alias.
        case extended(Extras)
        /// A parsed collection whose children are in this arena; `endOffset` holds its record
        /// number there.
        case arena(YAMLNodeArena)
        /// The same, stored inside the arena itself, which it must not reference (a cycle).
        /// Bound with `bound(in:)` whenever it is read out; only the tree builder sees it unbound.
        case arenaMember
    }

    /// A scalar's own text, boxed so the storage enum stays one word.
    private final class Text: Sendable {
        let value: String
        init(_ value: String) { self.value = value }
    }

    private var storage: Storage
    // Offsets are exact up to 4 GiB; line and column are 24 bits each (saturating).
    private var startOffset: UInt32
    private var endOffset: UInt32
    /// Line (bits 0–23), column (24–47), style (48–55).
    private var packed: UInt64

    public var content: Content {
        get {
            switch storage {
            case let .source(bytes): return .scalar(Self.text(of: bytes, in: textRange))
            case let .text(text): return .scalar(text.value)
            case let .sequence(items): return .sequence(items)
            case let .mapping(pairs): return .mapping(pairs)
            case let .extended(extras): return extras.content
            case let .arena(arena): return arena.content(of: Int(endOffset))
            case .arenaMember: return .sequence([])
            }
        }
        set {
            if case let .extended(extras) = storage {
                storage = .extended(extras.with(content: newValue))
            } else {
                replaceStorage(Self.storage(newValue))
            }
        }
    }

    /// Replaces the storage; a node leaving its arena takes its end offset back from the record.
    private mutating func replaceStorage(_ new: Storage) {
        if case let .arena(arena) = storage {
            endOffset = arena.records[Int(endOffset)].endOffset
        }
        storage = new
    }

    private static func storage(_ content: Content) -> Storage {
        switch content {
        case let .scalar(text): return .text(Text(text))
        case let .sequence(items): return .sequence(items)
        case let .mapping(pairs): return .mapping(pairs)
        }
    }

    /// Where a `.source` scalar's text sits: inside the quotes for a quoted style.
    private var textRange: Range<Int> {
        Self.textRange(start: Int(startOffset), end: Int(endOffset), style: style)
    }

    static func textRange(start: Int, end: Int, style: YAMLStyle) -> Range<Int> {
        switch style {
        case .singleQuoted, .doubleQuoted: return start + 1 ..< max(start + 1, end - 1)
        default: return start..<max(start, end)
        }
    }

    /// Whether `range` of `bytes` holds exactly `wanted`.
    static func sourceText(of bytes: [UInt8], in range: Range<Int>, equals wanted: UnsafeBufferPointer<UInt8>) -> Bool {
        guard range.count == wanted.count, range.lowerBound >= 0, range.upperBound <= bytes.count else { return false }
        return bytes.withUnsafeBufferPointer { all in
            guard let base = all.baseAddress, let other = wanted.baseAddress else { return range.isEmpty }
            return memcmp(base + range.lowerBound, other, range.count) == 0
        }
    }

    private static func text(of bytes: [UInt8], in range: Range<Int>) -> String {
        guard range.lowerBound >= 0, range.upperBound <= bytes.count else { return "" }
        return String(decoding: bytes[range], as: UTF8.self)
    }

    /// The content without a scalar's text: walks that only need the tree's shape skip
    /// decoding every scalar, and parsed collections are read in place instead of copied.
    enum Shape {
        case scalar
        case sequence(YAMLChildren<YAMLNode>)
        case mapping(YAMLChildren<YAMLPair>)
    }

    var shape: Shape {
        switch storage {
        case .source, .text: return .scalar
        case let .sequence(items): return .sequence(YAMLChildren(items))
        case let .mapping(pairs): return .mapping(YAMLChildren(pairs))
        case let .extended(extras):
            switch extras.content {
            case .scalar: return .scalar
            case let .sequence(items): return .sequence(YAMLChildren(items))
            case let .mapping(pairs): return .mapping(YAMLChildren(pairs))
            }
        case let .arena(arena): return arena.children(of: Int(endOffset))
        // Unbound: the tree builder only asks whether it is a scalar.
        case .arenaMember: return .sequence(YAMLChildren([]))
        }
    }

    /// Whether the content is a scalar, without decoding its text or copying a collection.
    var isScalarShape: Bool {
        if case .scalar = shape { return true }
        return false
    }

    /// Whether both nodes are scalars with the same text; compares source bytes directly when
    /// both share them (the duplicate-key check runs this for every key).
    func hasSameScalarText(as other: YAMLNode) -> Bool {
        if case let .source(a) = storage, case let .source(b) = other.storage {
            let ra = textRange, rb = other.textRange
            guard ra.count == rb.count, ra.upperBound <= a.count, rb.upperBound <= b.count else { return false }
            return a.withUnsafeBufferPointer { pa in
                b.withUnsafeBufferPointer { pb in
                    UnsafeBufferPointer(rebasing: pa[ra]).elementsEqual(UnsafeBufferPointer(rebasing: pb[rb]))
                }
            }
        }
        guard case let .scalar(x) = content, case let .scalar(y) = other.content else { return false }
        return x == y
    }

    /// The value of the first entry whose key is the scalar `key`, nil for a missing key or a
    /// node that is not a mapping. Entries are looked at in place, not copied, because this is
    /// what every `node["field"]` runs.
    func value(forKey key: String) -> YAMLNode? {
        var key = key
        return key.withUTF8 { wanted in
            switch storage {
            case let .mapping(pairs):
                return pairs.withUnsafeBufferPointer { Self.value(forKey: wanted, in: $0, pairs.indices) }
            case let .arena(arena):
                let record = arena.records[Int(endOffset)]
                guard record.isMapping else { return nil }
                for i in record.range where arena.key(at: i, is: wanted) {
                    return arena.values[i].bound(in: arena)
                }
                return nil
            case let .extended(extras):
                guard case let .mapping(pairs) = extras.content else { return nil }
                return pairs.withUnsafeBufferPointer { Self.value(forKey: wanted, in: $0, pairs.indices) }
            case .source, .text, .sequence, .arenaMember:
                return nil
            }
        }
    }

    // A plain Int range, not a buffer slice: `Slice.indices` is not specialised across modules
    // and looked up type metadata on every call.
    private static func value(forKey key: UnsafeBufferPointer<UInt8>, in pairs: UnsafeBufferPointer<YAMLPair>,
                              _ range: Range<Int>) -> YAMLNode? {
        for i in range where pairs[i].key.hasScalarText(key) { return pairs[i].value }
        return nil
    }

    /// Whether this is a scalar whose text is `text`; shared source bytes are compared in place
    /// (key lookups run this for every key they pass).
    func hasScalarText(_ text: String) -> Bool {
        var text = text
        return text.withUTF8 { hasScalarText($0) }
    }

    func hasScalarText(_ wanted: UnsafeBufferPointer<UInt8>) -> Bool {
        if case let .source(bytes) = storage { return Self.sourceText(of: bytes, in: textRange, equals: wanted) }
        // Bytes, not canonical equivalence: go-yaml compares keys byte for byte.
        guard case let .scalar(own) = content else { return false }
        return own.utf8.elementsEqual(wanted)
    }

    /// Gives a `.source` scalar its own text, and an arena collection its own arrays, before
    /// what locates them (range, style) changes.
    private mutating func materialize() {
        switch storage {
        case let .source(bytes): storage = .text(Text(Self.text(of: bytes, in: textRange)))
        case let .arena(arena): replaceStorage(Self.storage(arena.content(of: Int(endOffset))))
        default: break
        }
    }

    /// The end offset: an arena collection keeps it in its record.
    private var realEndOffset: UInt32 {
        if case let .arena(arena) = storage { return arena.records[Int(endOffset)].endOffset }
        return endOffset
    }

    /// Where the node was in its source; `.none` for nodes built in memory.
    public internal(set) var source: YAMLSourceRange {
        get {
            YAMLSourceRange(startOffset: startOffset, endOffset: realEndOffset,
                            startLine: UInt32(truncatingIfNeeded: packed & 0xFF_FFFF),
                            startColumn: UInt32(truncatingIfNeeded: (packed >> 24) & 0xFF_FFFF))
        }
        set {
            materialize()
            setSource(newValue)
        }
    }

    private mutating func setSource(_ range: YAMLSourceRange) {
        startOffset = range.startOffset
        endOffset = range.endOffset
        let line = UInt64(min(range.startLine, 0xFF_FFFF)), column = UInt64(min(range.startColumn, 0xFF_FFFF))
        packed = packed & ~0xFFFF_FFFF_FFFF | line | column << 24
    }

    /// How the node was (or should be) written.
    public var style: YAMLStyle {
        get { YAMLStyle(rawValue: UInt8(truncatingIfNeeded: packed >> 48)) ?? .plain }
        set {
            if newValue != style { materialize() }
            packed = packed & ~(0xFF << 48) | UInt64(newValue.rawValue) << 48
        }
    }

    /// Tag, anchor and comments (with the content they go with): shared and immutable,
    /// replaced as a whole on change.
    final class Extras: Sendable {
        let tag: String?
        let tagIsImplicit: Bool
        let anchor: String?
        let comments: YAMLComments
        let alias: String?
        fileprivate let content: Content

        convenience init(tag: String?, tagIsImplicit: Bool, anchor: String?, comments: YAMLComments, alias: String? = nil) {
            self.init(tag: tag, tagIsImplicit: tagIsImplicit, anchor: anchor, comments: comments, alias: alias,
                      content: .scalar(""))
        }

        fileprivate init(tag: String?, tagIsImplicit: Bool, anchor: String?, comments: YAMLComments,
                         alias: String?, content: Content) {
            self.tag = tag
            self.tagIsImplicit = tagIsImplicit
            self.anchor = anchor
            self.comments = comments
            self.alias = alias
            self.content = content
        }

        fileprivate func with(content: Content) -> Extras {
            Extras(tag: tag, tagIsImplicit: tagIsImplicit, anchor: anchor, comments: comments, alias: alias,
                   content: content)
        }

        var isEmpty: Bool { tag == nil && anchor == nil && comments.isEmpty && alias == nil }
    }

    /// The node's tag, anchor, comments and alias; `nil` when it has none.
    var extras: Extras? {
        get {
            if case let .extended(extras) = storage { return extras }
            return nil
        }
        set {
            let current = content
            if let newValue, !newValue.isEmpty {
                replaceStorage(.extended(newValue.with(content: current)))
            } else if case .extended = storage {
                storage = Self.storage(current)
            }
        }
    }

    init(content: Content, style: YAMLStyle, source: YAMLSourceRange, extras: Extras? = nil) {
        storage = Self.storage(content)
        startOffset = 0
        endOffset = 0
        packed = UInt64(style.rawValue) << 48
        setSource(source)
        if let extras { self.extras = extras }
    }

    /// A parsed scalar: when `value` is exactly its source text it shares `bytes` (the parsed
    /// stream's) instead of holding a copy.
    init(parsedScalar value: String, style: YAMLStyle, source: YAMLSourceRange, in bytes: [UInt8]) {
        self.init(content: .sequence([]), style: style, source: source)
        let range = textRange
        var sameText = false
        if range.lowerBound >= 0, range.upperBound <= bytes.count, value.utf8.count == range.count {
            var value = value
            sameText = value.withUTF8 { own in
                bytes.withUnsafeBufferPointer { all in
                    own.elementsEqual(UnsafeBufferPointer(rebasing: all[range]))
                }
            }
        }
        storage = sameText ? .source(bytes) : .text(Text(value))
    }

    /// A parsed collection whose children are record `record` of the arena its document will
    /// get (see `YAMLNodeArena`): unbound until `bound(in:)`.
    init(arenaRecord record: UInt32, style: YAMLStyle, source: YAMLSourceRange) {
        self.init(content: .sequence([]), style: style, source: source)
        storage = .arenaMember
        endOffset = record
    }

    /// The arena holding this collection's children, if it is a parsed collection still read in
    /// place (tests check that documents free their arena).
    var arena: YAMLNodeArena? {
        if case let .arena(arena) = storage { return arena }
        return nil
    }

    /// Where a scalar whose text is its source sits, and its style, for `YAMLCompactKey`; nil
    /// for anything else (own text, tag, anchor, comments, block styles, collections).
    var compactKeyParts: (source: YAMLSourceRange, style: YAMLStyle)? {
        guard case .source = storage, style == .plain || style == .singleQuoted || style == .doubleQuoted else { return nil }
        return (source, style)
    }

    /// A key read back from its compact form: shares the stream's bytes, as it did when parsed.
    init(sourceScalarIn bytes: [UInt8], compactKey key: YAMLCompactKey) {
        self.init(content: .sequence([]), style: key.style, source: key.source)
        storage = .source(bytes)
    }

    /// The record number of an unbound arena collection.
    var arenaRecord: UInt32? {
        if case .arenaMember = storage { return endOffset }
        return nil
    }

    /// This node as read out of `arena`: an unbound collection gets the arena (and its tag,
    /// anchor or alias from the arena's side table); anything else is returned as is.
    func bound(in arena: YAMLNodeArena) -> YAMLNode {
        guard case .arenaMember = storage else { return self }
        var node = self
        let record = arena.records[Int(endOffset)]
        if record.hasExtras, let extras = arena.extras[endOffset] {
            node.storage = .extended(extras.with(content: arena.content(of: Int(endOffset))))
            node.endOffset = record.endOffset
        } else {
            node.storage = .arena(arena)
        }
        return node
    }

    /// A scalar as written in YAML: a plain scalar is typed by the reader's profile
    /// (`42` is an int), a quoted one is a string.
    public init(scalar text: String, style: YAMLStyle = .plain, tag: String? = nil) {
        self.init(content: .scalar(text), style: style, source: .none)
        if let tag { self.tag = tag }
    }

    /// A string: emitted plain when that keeps it a string, quoted otherwise (`"yes"`, `"42"`).
    public init(string: String) {
        self.init(content: .scalar(string), style: .plain, source: .none,
                  extras: Extras(tag: YAMLTag.str, tagIsImplicit: true, anchor: nil, comments: YAMLComments()))
    }

    public init(int: Int) { self.init(scalar: String(int)) }
    public init(bool: Bool) { self.init(scalar: bool ? "true" : "false") }
    /// A float written in go-yaml's shortest form (`1`, `2.5`, `1e+21`, `.inf`).
    public init(double: Double) { self.init(scalar: YAMLFloatFormat.goYAML(double)) }
    /// The plain scalar `null`.
    public static var null: YAMLNode { YAMLNode(scalar: "null") }

    /// A block sequence.
    public init(sequence items: [YAMLNode], style: YAMLStyle = .block) {
        self.init(content: .sequence(items), style: style, source: .none)
    }

    /// A block mapping with keys in the given order.
    public init(mapping pairs: [YAMLPair], style: YAMLStyle = .block) {
        self.init(content: .mapping(pairs), style: style, source: .none)
    }

    /// A block mapping from string keys in order.
    public init(mapping pairs: KeyValuePairs<String, YAMLNode>) {
        self.init(mapping: pairs.map { YAMLPair(key: YAMLNode(string: $0.key), value: $0.value) })
    }

    /// The explicit tag (`!!str`, `!Secret`); standard tags use the `!!` short form.
    public var tag: String? {
        get { extras?.tag }
        set { updateExtras(tag: .some(newValue), tagIsImplicit: false) }
    }

    /// Whether the tag only records the intended type (set by `init(string:)`) and is not written.
    public var tagIsImplicit: Bool { extras?.tagIsImplicit ?? false }

    /// The anchor the source gave this node (`&base`); aliases to it were resolved on read.
    public var anchor: String? {
        get { extras?.anchor }
        set { updateExtras(anchor: .some(newValue)) }
    }

    /// Comments attached to this node (see `YAMLComments` for which node holds which).
    public var comments: YAMLComments {
        get { extras?.comments ?? YAMLComments() }
        set { updateExtras(comments: newValue) }
    }

    /// The anchor this node was copied from when the source wrote an alias (`*base`); the
    /// preserving emitter writes the alias again while the copy still equals the original.
    public internal(set) var alias: String? {
        get { extras?.alias }
        set { updateExtras(alias: .some(newValue)) }
    }

    mutating func updateExtras(tag: String?? = nil, tagIsImplicit: Bool? = nil,
                               anchor: String?? = nil, comments: YAMLComments? = nil, alias: String?? = nil) {
        let new = Extras(tag: tag ?? extras?.tag,
                         tagIsImplicit: tagIsImplicit ?? extras?.tagIsImplicit ?? false,
                         anchor: anchor ?? extras?.anchor,
                         comments: comments ?? extras?.comments ?? YAMLComments(),
                         alias: alias ?? extras?.alias)
        extras = new.isEmpty ? nil : new
    }
}

/// One key/value entry of a mapping. Mappings keep their entries in source order.
public struct YAMLPair: Sendable, Equatable {
    public var key: YAMLNode
    public var value: YAMLNode

    public init(key: YAMLNode, value: YAMLNode) {
        self.key = key
        self.value = value
    }

    /// An entry with a string key.
    public init(_ key: String, _ value: YAMLNode) {
        self.init(key: YAMLNode(string: key), value: value)
    }
}

/// How a node is written: the five scalar styles, or block/flow for collections.
public enum YAMLStyle: UInt8, Sendable {
    case plain, singleQuoted, doubleQuoted, literal, folded
    case block, flow

    /// Whether a scalar in this style is a string whatever its text (quoted and block scalars).
    public var isQuotedOrBlock: Bool { self != .plain && self != .block && self != .flow }
}

/// The standard tags in the `!!` short form the model stores.
public enum YAMLTag {
    public static let str = "!!str"
    public static let int = "!!int"
    public static let float = "!!float"
    public static let bool = "!!bool"
    public static let null = "!!null"
    public static let timestamp = "!!timestamp"
    public static let binary = "!!binary"
    public static let map = "!!map"
    public static let seq = "!!seq"
    public static let merge = "!!merge"

    static let longPrefix = "tag:yaml.org,2002:"

    /// `tag:yaml.org,2002:str` → `!!str`; other tags unchanged.
    static func short(_ tag: String) -> String {
        tag.hasPrefix(longPrefix) ? "!!" + tag.dropFirst(longPrefix.count) : tag
    }
}

extension YAMLNode: Equatable {
    /// Data equality: scalars compare by their go-yaml v3 typed value (so `"b"` equals `b` but
    /// `"42"` differs from `42`), application tags must match, collections compare in order.
    public static func == (lhs: YAMLNode, rhs: YAMLNode) -> Bool {
        guard lhs.applicationTag == rhs.applicationTag else { return false }
        switch (lhs.content, rhs.content) {
        case (.scalar, .scalar):
            return lhs.resolved() == rhs.resolved()
        case let (.sequence(a), .sequence(b)):
            return a == b
        case let (.mapping(a), .mapping(b)):
            return a == b
        default:
            return false
        }
    }

    /// A tag outside the YAML standard set (`!Secret`), which is part of the data.
    var applicationTag: String? {
        guard let tag, !tag.hasPrefix("!!") else { return nil }
        return tag
    }
}
