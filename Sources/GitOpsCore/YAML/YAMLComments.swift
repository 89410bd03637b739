/// Comments kept with a node so parse → emit leaves them in place.
///
/// Which node holds them: in a mapping, the *key* node holds the entry's comments; in a
/// sequence, the item node does; a document's own comments sit on `YAMLDocument`.
/// Text is stored without the leading `#` marker's line structure lost: each line is kept
/// whole, including `#` (`"# note"`), lines joined with `\n`.
public struct YAMLComments: Sendable, Hashable {
    /// Full-line comments directly above the entry or item.
    public var head: String?
    /// A comment after the value on the same line (after `key:` when the value is a collection).
    public var line: String?
    /// Full-line comments after the entry's whole content, at the entry's indentation.
    public var foot: String?

    public init(head: String? = nil, line: String? = nil, foot: String? = nil) {
        self.head = head
        self.line = line
        self.foot = foot
    }

    public var isEmpty: Bool { head == nil && line == nil && foot == nil }
}
