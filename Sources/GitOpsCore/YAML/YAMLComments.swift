/// Comments kept with a node so parse → emit leaves them in place.
///
/// Which node holds them: in a mapping, the *key* node holds the entry's comments; in a
/// sequence, the item node does; a document's own comments sit on `YAMLDocument`.
/// Each comment line is kept whole from its `#` (`"# note"`; sops's comment text is that
/// minus the first character); several lines are joined with `\n`, and an empty line stands
/// for a blank line between comments.
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
