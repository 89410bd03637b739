internal import CGit2

extension GitRepository {
    /// Files under `paths` (all files when empty) that differ from HEAD or are untracked,
    /// sorted by path. Ignored files are not reported; an unchanged file is not listed.
    public func status(of paths: [String] = []) throws(GitError) -> [GitFileStatus] {
        try statusEntries(of: paths, show: GIT_STATUS_SHOW_INDEX_AND_WORKDIR)
    }

    /// Paths whose changes are staged in the index (index differs from HEAD), sorted.
    public func stagedPaths() throws(GitError) -> [String] {
        try statusEntries(of: [], show: GIT_STATUS_SHOW_INDEX_ONLY).filter { $0.staged != nil }.map(\.path)
    }

    /// Whether the index tracks `path` (a file; staged additions count as tracked).
    public func isTracked(_ path: String) throws(GitError) -> Bool {
        let path = try Self.normalised(path)
        var index: OpaquePointer?
        try LibGit2.check(git.repository_index(&index, handle), "open the index")
        defer { git.index_free(index) }
        return git.index_get_bypath(index, path, 0) != nil
    }

    /// Whether `.gitignore` rules (and `info/exclude`, `core.excludesFile`) ignore `path`.
    public func isIgnored(_ path: String) throws(GitError) -> Bool {
        let path = try Self.normalised(path)
        var ignored: Int32 = 0
        try LibGit2.check(git.ignore_path_is_ignored(&ignored, handle, path), "check ignore rules for \(path)")
        return ignored != 0
    }

    private func statusEntries(of paths: [String], show: git_status_show_t) throws(GitError) -> [GitFileStatus] {
        let specs = try paths.map { (path) throws(GitError) in try Self.normalised(path) }
        var options = git_status_options()
        try LibGit2.check(git.status_options_init(&options, UInt32(GIT_STATUS_OPTIONS_VERSION)), "prepare status")
        options.show = show
        options.flags = GIT_STATUS_OPT_INCLUDE_UNTRACKED.rawValue | GIT_STATUS_OPT_RECURSE_UNTRACKED_DIRS.rawValue
            | GIT_STATUS_OPT_RENAMES_HEAD_TO_INDEX.rawValue | GIT_STATUS_OPT_SORT_CASE_SENSITIVELY.rawValue
        var list: OpaquePointer?
        let code = CStringArray(specs).withStrarray { pathspec in
            options.pathspec = pathspec
            return git.status_list_new(&list, handle, &options)
        }
        try LibGit2.check(code, "read status")
        defer { git.status_list_free(list) }
        var result: [GitFileStatus] = []
        for i in 0..<git.status_list_entrycount(list) {
            guard let entry = git.status_byindex(list, i)?.pointee else { continue }
            if let status = Self.fileStatus(entry) { result.append(status) }
        }
        return result.sorted { $0.path < $1.path }
    }

    private static func fileStatus(_ entry: git_status_entry) -> GitFileStatus? {
        let flags = entry.status.rawValue
        func has(_ flag: git_status_t) -> Bool { flags & flag.rawValue != 0 }
        let delta = entry.head_to_index ?? entry.index_to_workdir
        guard let file = delta?.pointee.new_file.path ?? delta?.pointee.old_file.path else { return nil }
        var status = GitFileStatus(path: String(cString: file))
        if has(GIT_STATUS_INDEX_NEW) { status.staged = .added }
        if has(GIT_STATUS_INDEX_MODIFIED) { status.staged = .modified }
        if has(GIT_STATUS_INDEX_DELETED) { status.staged = .deleted }
        if has(GIT_STATUS_INDEX_RENAMED) { status.staged = .renamed }
        if has(GIT_STATUS_INDEX_TYPECHANGE) { status.staged = .typeChanged }
        if has(GIT_STATUS_WT_NEW) { status.isUntracked = true }
        if has(GIT_STATUS_WT_MODIFIED) { status.unstaged = .modified }
        if has(GIT_STATUS_WT_DELETED) { status.unstaged = .deleted }
        if has(GIT_STATUS_WT_RENAMED) { status.unstaged = .renamed }
        if has(GIT_STATUS_WT_TYPECHANGE) { status.unstaged = .typeChanged }
        if has(GIT_STATUS_IGNORED) { return nil }
        return status
    }
}
