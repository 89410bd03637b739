import Foundation
internal import CGit2

/// A git checkout opened with libgit2: one repository handle, freed when the value goes.
///
/// Paths given to its methods are relative to the work tree root (`clusters/production`),
/// never absolute and never leaving the work tree. Not `Sendable`: libgit2 handles must not
/// be shared between threads; open one per task.
public final class GitRepository {
    let handle: OpaquePointer
    /// libgit2's functions, loaded before any repository could be opened.
    let git: cgit2_api
    /// The root of the work tree.
    public let workTree: URL

    private init(handle: OpaquePointer, git: cgit2_api, workTree: URL) {
        self.handle = handle
        self.git = git
        self.workTree = workTree
    }

    deinit { git.repository_free(handle) }

    /// Opens the repository whose work tree contains `directory`, searching upwards as
    /// `git` does (without crossing file-system boundaries).
    public static func discover(from directory: URL) throws(GitError) -> GitRepository {
        let git = try LibGit2.api()
        var repository: OpaquePointer?
        let path = directory.standardizedFileURL.path
        let code = git.repository_open_ext(&repository, path, 0, nil)
        switch code {
        case 0:
            break
        case GIT_EOWNER.rawValue:
            // libgit2 reproduces git's safe.directory check; say which directory and how to trust it.
            throw GitError.unsafeOwner(path: path)
        case GIT_ENOTFOUND.rawValue where LibGit2.lastErrorMessage().contains("safe.directory"):
            // libgit2 before 1.6 (Debian 12 ships 1.5.1) reports a failed ownership check with no
            // safe.directory configured as this lookup miss instead of GIT_EOWNER (libgit2 PR #6408).
            throw GitError.unsafeOwner(path: path)
        case GIT_ENOTFOUND.rawValue:
            throw GitError.notARepository(path: path)
        default:
            try LibGit2.check(code, "open \(path)")
        }
        guard let repository else { throw GitError.notARepository(path: path) }
        guard git.repository_is_bare(repository) == 0, let workdir = git.repository_workdir(repository) else {
            git.repository_free(repository)
            throw GitError.bareRepository(path: path)
        }
        let root = URL(fileURLWithPath: String(cString: workdir), isDirectory: true).standardizedFileURL
        return GitRepository(handle: repository, git: git, workTree: root)
    }

    /// The branch HEAD points at and the commit it names (nil before the first commit).
    public func head() throws(GitError) -> GitHead {
        var reference: OpaquePointer?
        try LibGit2.check(git.reference_lookup(&reference, handle, "HEAD"), "read HEAD")
        defer { git.reference_free(reference) }
        var branch: String?
        if git.reference_type(reference) == GIT_REFERENCE_SYMBOLIC, let target = git.reference_symbolic_target(reference) {
            let name = String(cString: target)
            branch = name.hasPrefix("refs/heads/") ? String(name.dropFirst("refs/heads/".count)) : name
        }
        var oid = git_oid()
        let code = git.reference_name_to_id(&oid, handle, "HEAD")
        if code == GIT_ENOTFOUND.rawValue || code == GIT_EUNBORNBRANCH.rawValue {
            return GitHead(branch: branch, commit: nil)
        }
        try LibGit2.check(code, "resolve HEAD")
        return GitHead(branch: branch, commit: LibGit2.hex(oid))
    }

    /// The fetch URL of the named remote, or nil when there is no such remote.
    public func remoteURL(named name: String = "origin") throws(GitError) -> String? {
        var remote: OpaquePointer?
        let code = git.remote_lookup(&remote, handle, name)
        if code == GIT_ENOTFOUND.rawValue { return nil }
        try LibGit2.check(code, "look up remote \(name)")
        defer { git.remote_free(remote) }
        guard let url = git.remote_url(remote) else { return nil }
        return String(cString: url)
    }

    /// The work-tree-relative form of `url`, for callers that hold absolute file URLs.
    public func relativePath(of url: URL) throws(GitError) -> String {
        let root = workTree.path.hasSuffix("/") ? workTree.path : workTree.path + "/"
        let path = url.standardizedFileURL.path
        guard path.hasPrefix(root), path.count > root.count else { throw GitError.pathOutsideWorkTree(path: path) }
        return String(path.dropFirst(root.count))
    }

    /// Validates a caller's relative path: not absolute, no `..`, not empty; `./` and
    /// trailing slashes dropped so libgit2 sees the form it stores in the index.
    static func normalised(_ path: String) throws(GitError) -> String {
        let parts = path.split(separator: "/", omittingEmptySubsequences: true).filter { $0 != "." }
        guard !path.hasPrefix("/"), !parts.contains(".."), !parts.isEmpty else {
            throw GitError.pathOutsideWorkTree(path: path)
        }
        return parts.joined(separator: "/")
    }
}

/// Where HEAD points: a branch (nil when detached) and its commit (nil before the first commit).
public struct GitHead: Sendable, Equatable {
    public var branch: String?
    public var commit: String?
}
