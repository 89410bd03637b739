import Foundation
internal import CGit2

extension GitRepository {
    /// Stages the current work-tree state of `paths` (files or directories): new and changed
    /// files are added, files deleted from the work tree are removed from the index.
    /// Ignored files are skipped, as `git add` skips them.
    public func stage(_ paths: [String]) throws(GitError) {
        let specs = try paths.map { (path) throws(GitError) in try Self.normalised(path) }
        guard !specs.isEmpty else { return }
        var index: OpaquePointer?
        try LibGit2.check(git.repository_index(&index, handle), "open the index")
        defer { git.index_free(index) }
        let code = CStringArray(specs).withStrarray { pathspec -> Int32 in
            var pathspec = pathspec
            let added = git.index_add_all(index, &pathspec, GIT_INDEX_ADD_DEFAULT.rawValue, nil, nil)
            guard added >= 0 else { return added }
            // add_all does not drop files that vanished from the work tree; update_all does.
            return git.index_update_all(index, &pathspec, nil, nil)
        }
        try LibGit2.check(code, "stage \(specs.joined(separator: " "))")
        try LibGit2.check(git.index_write(index), "write the index")
    }

    /// Stages `paths` and commits them, refusing when the index already holds staged changes
    /// outside `paths` (they would be swept into this commit). Returns the new commit id.
    ///
    /// The author is `author` when given, else git's `user.name`/`user.email` from the
    /// repository's configuration; the committer is the same person.
    @discardableResult
    public func commit(_ paths: [String], message: String, author: GitSignature? = nil) throws(GitError) -> String {
        let specs = try paths.map { (path) throws(GitError) in try Self.normalised(path) }
        let unrelated = try stagedPaths().filter { staged in
            !specs.contains { staged == $0 || staged.hasPrefix($0 + "/") }
        }
        guard unrelated.isEmpty else { throw GitError.unrelatedStagedChanges(paths: unrelated) }
        try stage(specs)
        return try commitIndex(message: message, author: author)
    }

    /// Commits the index as it is, on the branch HEAD points at. Throws `nothingToCommit`
    /// when the tree equals HEAD's.
    @discardableResult
    public func commitIndex(message: String, author: GitSignature? = nil) throws(GitError) -> String {
        let signature = try makeSignature(author)
        defer { git.signature_free(signature) }

        var index: OpaquePointer?
        try LibGit2.check(git.repository_index(&index, handle), "open the index")
        defer { git.index_free(index) }
        var treeID = git_oid()
        try LibGit2.check(git.index_write_tree(&treeID, index), "write the tree")
        var tree: OpaquePointer?
        try LibGit2.check(git.tree_lookup(&tree, handle, &treeID), "read the tree")
        defer { git.tree_free(tree) }

        let parent = try headCommit()
        defer { if let parent { git.commit_free(parent) } }
        if let parent, git.oid_equal(git.commit_tree_id(parent), &treeID) != 0 {
            throw GitError.nothingToCommit
        }
        var commitID = git_oid()
        var parents: [OpaquePointer?] = parent.map { [$0] } ?? []
        let code = parents.withUnsafeMutableBufferPointer { buffer in
            git.commit_create(&commitID, handle, "HEAD", signature, signature, nil, message, tree,
                              buffer.count, buffer.baseAddress)
        }
        try LibGit2.check(code, "commit")
        return LibGit2.hex(commitID)
    }

    /// The commit HEAD names, or nil on an unborn branch. The caller frees it.
    private func headCommit() throws(GitError) -> OpaquePointer? {
        var oid = git_oid()
        let code = git.reference_name_to_id(&oid, handle, "HEAD")
        if code == GIT_ENOTFOUND.rawValue || code == GIT_EUNBORNBRANCH.rawValue { return nil }
        try LibGit2.check(code, "resolve HEAD")
        var commit: OpaquePointer?
        try LibGit2.check(git.commit_lookup(&commit, handle, &oid), "read the HEAD commit")
        return commit
    }

    /// A libgit2 signature stamped now; the caller frees it.
    private func makeSignature(_ author: GitSignature?) throws(GitError) -> UnsafeMutablePointer<git_signature>? {
        var signature: UnsafeMutablePointer<git_signature>?
        if let author {
            try LibGit2.check(git.signature_now(&signature, author.name, author.email), "create the signature")
            return signature
        }
        let code = git.signature_default(&signature, handle)
        if code == GIT_ENOTFOUND.rawValue { throw GitError.authorUnknown }
        try LibGit2.check(code, "read user.name and user.email")
        return signature
    }
}
