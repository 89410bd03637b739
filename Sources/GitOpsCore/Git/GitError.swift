import Foundation

/// Why a git operation on the user's checkout failed, with what to do about it.
public enum GitError: UserFacingError, Equatable {
    /// No repository at or above the directory.
    case notARepository(path: String)
    /// The repository belongs to another user and is not listed in `safe.directory`;
    /// refused as git itself refuses it (CVE-2022-24765).
    case unsafeOwner(path: String)
    /// A bare repository has no work tree to write files into.
    case bareRepository(path: String)
    /// A path given to stage, check or commit is absolute, leaves the work tree, or is empty.
    case pathOutsideWorkTree(path: String)
    /// Neither an author was given nor git's `user.name`/`user.email` are configured.
    case authorUnknown
    /// `--commit-author` is not of the form `Name <email>`.
    case invalidAuthor(String)
    /// The index already holds staged changes to paths this commit is not about.
    case unrelatedStagedChanges(paths: [String])
    /// Committing would record a tree identical to HEAD's.
    case nothingToCommit
    /// HEAD does not point at a branch (detached) where a branch is needed.
    case detachedHead
    /// No remote of that name is configured.
    case remoteNotFound(name: String)
    /// The remote's transport is not one gitopsctl can push over.
    case unsupportedRemote(url: String, reason: String)
    /// The SSH server's host key is not in `~/.ssh/known_hosts` (or differs from it); libgit2
    /// refuses to talk to a host it cannot verify.
    case unknownHostKey(url: String, host: String, port: Int?)
    /// The SSH server accepted none of the offered credentials.
    case authenticationFailed(url: String, message: String)
    /// The remote refused the update of a reference (for example not a fast-forward).
    case pushRejected(reference: String, reason: String)
    /// libgit2 could not be loaded: not installed, or not the version gitopsctl was built for.
    case libraryUnavailable(library: String, reason: String, install: String)
    /// Any other libgit2 failure: the operation and libgit2's own message.
    case libgit2(operation: String, code: Int32, message: String)

    public var description: String {
        switch self {
        case .notARepository(let path):
            return "\(path) is not inside a git repository"
        case .unsafeOwner(let path):
            return "the git repository at \(path) is owned by another user"
        case .bareRepository(let path):
            return "\(path) is a bare git repository; a checkout with a work tree is needed"
        case .pathOutsideWorkTree(let path):
            return "path \(path.isEmpty ? "\"\"" : path) is not inside the repository's work tree"
        case .authorUnknown:
            return "no commit author: git user.name and user.email are not configured"
        case .invalidAuthor(let text):
            return "commit author \"\(text)\" is not of the form \"Name <email>\""
        case .unrelatedStagedChanges(let paths):
            return "the index has staged changes unrelated to this commit: \(paths.joined(separator: ", "))"
        case .nothingToCommit:
            return "nothing to commit: the staged tree is identical to HEAD"
        case .detachedHead:
            return "HEAD is detached; check out a branch first"
        case .remoteNotFound(let name):
            return "no git remote named \"\(name)\""
        case .unsupportedRemote(let url, let reason):
            return "cannot push to \(url): \(reason)"
        case .unknownHostKey(let url, _, _):
            return "cannot push to \(url): the SSH host key is not in ~/.ssh/known_hosts or does not match it"
        case .authenticationFailed(let url, let message):
            return "cannot push to \(url): authentication failed (\(message))"
        case .pushRejected(let reference, let reason):
            return "the remote rejected the update of \(reference): \(reason)"
        case .libraryUnavailable(let library, let reason, _):
            return "\(library) could not be loaded: \(reason)"
        case .libgit2(let operation, _, let message):
            return "git \(operation) failed: \(message)"
        }
    }

    public var hint: String? {
        switch self {
        case .unsafeOwner(let path):
            return "if you trust it, run: git config --global --add safe.directory \(path)"
        case .authorUnknown:
            return "pass --commit-author \"Name <email>\", or run git config user.name / user.email"
        case .unrelatedStagedChanges:
            return "commit or unstage them first (git restore --staged PATH)"
        case .unknownHostKey(_, let host, let port):
            let scan = port.map { "ssh-keyscan -p \($0) \(host)" } ?? "ssh-keyscan \(host)"
            return "check the host's key fingerprint, then add it: \(scan) >> ~/.ssh/known_hosts"
        case .authenticationFailed:
            return "load the deploy key into ssh-agent (ssh-add KEY) or pass --private-key-file KEY"
        case .pushRejected:
            return "pull and integrate the remote changes, then run again"
        case .libraryUnavailable(_, _, let install):
            return "install it: \(install)"
        case .notARepository:
            return "run inside a clone of your GitOps repository, or git init one"
        default:
            return nil
        }
    }
}
