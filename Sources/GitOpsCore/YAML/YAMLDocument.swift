/// One document of a YAML stream (`---` … `...`), or the single value of a JSON file.
public struct YAMLDocument: Sendable, Equatable {
    /// The document's value; `nil` for an empty or comment-only document.
    public var root: YAMLNode?
    /// `head`: comments at the top of the document, set off from the first entry by a blank
    /// line or with no entry at all; `foot`: comments after the last entry at column 1.
    public var comments: YAMLComments {
        get { commentBox?.comments ?? YAMLComments() }
        set { setComments(newValue, before: commentsBeforeStart) }
    }
    /// Whether the source started the document with `---`.
    public var explicitStart: Bool
    /// Whether the source ended the document with `...`.
    public var explicitEnd: Bool
    /// The document's byte range in the source (from `---` or its first token).
    public internal(set) var source: YAMLSourceRange
    /// Comments written above the document's `---` line.
    public var commentsBeforeStart: String? {
        get { commentBox?.before }
        set { setComments(comments, before: newValue) }
    }

    /// The comments, boxed: most documents have none, and a stream of ten thousand documents
    /// held at once should not pay for them.
    private var commentBox: CommentBox?

    private final class CommentBox: Sendable {
        let comments: YAMLComments
        let before: String?

        init(comments: YAMLComments, before: String?) {
            self.comments = comments
            self.before = before
        }
    }

    private mutating func setComments(_ comments: YAMLComments, before: String?) {
        commentBox = comments.isEmpty && before == nil ? nil : CommentBox(comments: comments, before: before)
    }

    public init(root: YAMLNode?, comments: YAMLComments = YAMLComments(),
                explicitStart: Bool = false, explicitEnd: Bool = false) {
        self.root = root
        self.explicitStart = explicitStart
        self.explicitEnd = explicitEnd
        self.source = .none
        setComments(comments, before: nil)
    }

    public static func == (lhs: YAMLDocument, rhs: YAMLDocument) -> Bool {
        lhs.root == rhs.root
    }
}

/// A parsed file: its documents in order, its name for error messages, and its bytes, which
/// surgical edits splice into.
public struct YAMLStream: Sendable {
    public var documents: [YAMLDocument]
    /// The name errors use (a path, or `<stdin>`).
    public let file: String
    /// The exact bytes parsed.
    public let bytes: [UInt8]

    public init(documents: [YAMLDocument], file: String = "<memory>", bytes: [UInt8] = []) {
        self.documents = documents
        self.file = file
        self.bytes = bytes
    }

    /// Parses YAML text with the default options.
    public init(yaml text: String, file: String = "<memory>") throws {
        self = try YAMLParser().parse(Array(text.utf8), file: file)
    }
}
