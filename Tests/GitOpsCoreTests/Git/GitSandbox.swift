import Foundation
import Testing
import TestSupport
@testable import GitOpsCore

/// Hermetic git for tests: the real `git` CLI runs with HOME pointing at an empty directory
/// and no system config, and libgit2's global/XDG/system config search path points at an
/// empty directory too, so the machine's ~/.gitconfig (user.name, safe.directory, hooks)
/// cannot change a result.
enum GitSandbox {
    /// The empty HOME shared by every git test; created, and libgit2 pointed at it, once.
    static let home: URL = {
        let home = FileManager.default.temporaryDirectory.appendingPathComponent("gitopsctl-git-home-\(getpid())")
        try? FileManager.default.createDirectory(at: home, withIntermediateDirectories: true)
        try? LibGit2.setConfigSearchPath(home.path)
        return home
    }()

    static let environment: [String: String?] = [
        "HOME": home.path, "XDG_CONFIG_HOME": home.path, "GIT_CONFIG_NOSYSTEM": "1",
        "GIT_CONFIG_GLOBAL": nil, "GIT_DIR": nil, "GIT_WORK_TREE": nil, "GIT_INDEX_FILE": nil,
        "GIT_AUTHOR_NAME": nil, "GIT_AUTHOR_EMAIL": nil, "GIT_COMMITTER_NAME": nil, "GIT_COMMITTER_EMAIL": nil,
        "EMAIL": nil,
    ]

    /// Runs the real git CLI in `directory` and requires success; returns trimmed stdout.
    @discardableResult
    static func git(_ arguments: [String], in directory: URL) throws -> String {
        let result = try ProcessRunner.run(tool: "git", arguments, environment: environment, in: directory)
        try #require(result.status == 0, "git \(arguments.joined(separator: " ")): \(result.stderrText)")
        return result.stdoutText.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// A new repository on branch main. With `author`, it is configured in the repository
    /// (`user.name`/`user.email`) and an initial commit holds `README.md`.
    static func repository(author: GitSignature? = GitSignature(name: "Repo Owner", email: "owner@example.com"))
        throws -> TemporaryDirectory {
        _ = home
        let directory = try TemporaryDirectory(prefix: "gitopsctl-git")
        try git(["init", "-q", "-b", "main"], in: directory.url)
        if let author {
            try git(["config", "user.name", author.name], in: directory.url)
            try git(["config", "user.email", author.email], in: directory.url)
            try directory.write("README.md", "# platform\n")
            try git(["add", "README.md"], in: directory.url)
            try git(["commit", "-q", "-m", "Initial commit"], in: directory.url)
        }
        return directory
    }
}
