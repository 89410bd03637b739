/// How one file differs from HEAD: what is staged in the index, what is changed in the work
/// tree beyond that, or that git does not track it at all.
public struct GitFileStatus: Sendable, Equatable {
    /// Work-tree-relative path (the new path of a rename).
    public var path: String
    /// The change recorded in the index relative to HEAD, if any.
    public var staged: GitChange?
    /// The change in the work tree relative to the index, if any.
    public var unstaged: GitChange?
    /// Present in the work tree, unknown to the index and not ignored.
    public var isUntracked: Bool

    public init(path: String, staged: GitChange? = nil, unstaged: GitChange? = nil, isUntracked: Bool = false) {
        self.path = path
        self.staged = staged
        self.unstaged = unstaged
        self.isUntracked = isUntracked
    }
}

/// A kind of change between two of HEAD, index and work tree.
public enum GitChange: String, Sendable, Equatable {
    case added, modified, deleted, renamed, typeChanged
}
