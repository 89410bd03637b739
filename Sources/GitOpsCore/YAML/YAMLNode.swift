/// One node of a YAML (or JSON) document: a scalar, a sequence or a mapping, with the
/// presentation details a faithful re-emit needs (style, tag, anchor, comments) and where it
/// came from in the source (byte range and `line:col`).
///
/// Nodes are values. Aliases are resolved while parsing, so an aliased subtree appears as a
/// copy (sharing storage until one copy is changed). Rarely used details live in one shared,
/// immutable `Extras` object so the common node stays small: a 10 MB manifest stream has
/// millions of nodes.
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

    public var content: Content
    // Style and source range packed into the enum's tail padding and three words, so a node
    // is 40 bytes: a 10 MB manifest stream holds about a million nodes. Line and column are
    // 24 bits each (saturating); offsets are exact up to 4 GiB.
    private var styleBits: UInt8
    private var columnLow: UInt16
    private var startOffset: UInt32
    private var endOffset: UInt32
    private var lineAndColumnHigh: UInt32
    var extras: Extras?

    /// Where the node was in its source; `.none` for nodes built in memory.
    public internal(set) var source: YAMLSourceRange {
        get {
            YAMLSourceRange(startOffset: startOffset, endOffset: endOffset, startLine: lineAndColumnHigh & 0xFF_FFFF,
                            startColumn: (lineAndColumnHigh >> 24) << 16 | UInt32(columnLow))
        }
        set {
            startOffset = newValue.startOffset
            endOffset = newValue.endOffset
            let column = min(newValue.startColumn, 0xFF_FFFF)
            columnLow = UInt16(truncatingIfNeeded: column)
            lineAndColumnHigh = min(newValue.startLine, 0xFF_FFFF) | (column >> 16) << 24
        }
    }

    /// How the node was (or should be) written.
    public var style: YAMLStyle {
        get { YAMLStyle(rawValue: styleBits) ?? .plain }
        set { styleBits = newValue.rawValue }
    }

    /// Tag, anchor and comments: shared and immutable, replaced as a whole on change.
    final class Extras: Sendable {
        let tag: String?
        let tagIsImplicit: Bool
        let anchor: String?
        let comments: YAMLComments
        let alias: String?

        init(tag: String?, tagIsImplicit: Bool, anchor: String?, comments: YAMLComments, alias: String? = nil) {
            self.tag = tag
            self.tagIsImplicit = tagIsImplicit
            self.anchor = anchor
            self.comments = comments
            self.alias = alias
        }

        var isEmpty: Bool { tag == nil && anchor == nil && comments.isEmpty && alias == nil }
    }

    init(content: Content, style: YAMLStyle, source: YAMLSourceRange, extras: Extras? = nil) {
        self.content = content
        self.extras = extras
        styleBits = style.rawValue
        columnLow = 0
        startOffset = 0
        endOffset = 0
        lineAndColumnHigh = 0
        self.source = source
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
