import Foundation
import Testing
import TestSupport
@testable import GitOpsCore

/// libgit2 writes, the real git CLI reads back (and the other way round).
@Suite struct GitRepositoryTests {
    @discardableResult
    private func git(_ arguments: [String], _ directory: URL) throws -> String {
        try GitSandbox.git(arguments, in: directory)
    }

    // MARK: opening

    @Test func discoverFindsTheWorkTreeRootFromASubdirectory() throws {
        let repo = try GitSandbox.repository()
        try repo.write("clusters/production/flux-system/.keep", "")
        let opened = try GitRepository.discover(from: repo.path("clusters/production/flux-system"))
        #expect(opened.workTree.resolvingSymlinksInPath().path == repo.url.resolvingSymlinksInPath().path)
    }

    @Test func discoverOutsideARepositoryNamesTheDirectory() throws {
        _ = GitSandbox.home
        let plain = try TemporaryDirectory()
        #expect(throws: GitError.notARepository(path: plain.url.standardizedFileURL.path)) {
            try GitRepository.discover(from: plain.url)
        }
    }

    @Test func discoverRefusesABareRepository() throws {
        let bare = try TemporaryDirectory()
        try git(["init", "-q", "--bare", "-b", "main"], bare.url)
        #expect(throws: GitError.bareRepository(path: bare.url.standardizedFileURL.path)) {
            try GitRepository.discover(from: bare.url)
        }
    }

    @Test func discoverRefusesARepositoryOwnedBySomeoneElse() throws {
        let repo = try GitSandbox.repository()
        // Needs root to hand the directory to another user (CI runs as root).
        try #require(chown(repo.url.path, 65534, 65534) == 0, "cannot chown: not running as root")
        defer { _ = chown(repo.url.path, getuid(), getgid()) }
        do {
            _ = try GitRepository.discover(from: repo.url)
            Issue.record("opened a repository owned by uid 65534")
        } catch {
            #expect(error == .unsafeOwner(path: repo.url.standardizedFileURL.path))
            #expect(error.hint?.contains("safe.directory") == true)
        }
    }

    @Test func headNamesTheBranchAndCommit() throws {
        let repo = try GitSandbox.repository()
        try git(["checkout", "-q", "-b", "bootstrap"], repo.url)
        let head = try GitRepository.discover(from: repo.url).head()
        #expect(head == GitHead(branch: "bootstrap", commit: try git(["rev-parse", "HEAD"], repo.url)))
    }

    @Test func headOfAnUnbornBranchHasNoCommit() throws {
        let repo = try GitSandbox.repository(author: nil)
        #expect(try GitRepository.discover(from: repo.url).head() == GitHead(branch: "main", commit: nil))
    }

    @Test func headWhenDetachedHasNoBranch() throws {
        let repo = try GitSandbox.repository()
        try git(["checkout", "-q", "--detach"], repo.url)
        let head = try GitRepository.discover(from: repo.url).head()
        #expect(head.branch == nil)
        #expect(head.commit == (try git(["rev-parse", "HEAD"], repo.url)))
    }

    @Test func remoteURLReadsOriginAndIsNilWithoutIt() throws {
        let repo = try GitSandbox.repository()
        let opened = try GitRepository.discover(from: repo.url)
        #expect(try opened.remoteURL() == nil)
        try git(["remote", "add", "origin", "ssh://git@github.com/example-org/platform"], repo.url)
        try git(["remote", "add", "mirror", "file:///srv/git/platform.git"], repo.url)
        let reopened = try GitRepository.discover(from: repo.url)
        #expect(try reopened.remoteURL() == "ssh://git@github.com/example-org/platform")
        #expect(try reopened.remoteURL(named: "mirror") == "file:///srv/git/platform.git")
    }

    // MARK: status

    /// A repository with one file in every state, mirrored by `git status --porcelain`.
    private func repositoryInEveryState() throws -> TemporaryDirectory {
        let repo = try GitSandbox.repository()
        // Distinct contents everywhere, so neither git nor libgit2 pairs files up as renames.
        try repo.write("clusters/production/clean.yaml", "clean: 1\n")
        try repo.write("clusters/production/modified.yaml", "modified: 1\n")
        try repo.write("clusters/production/deleted.yaml", "deleted: 1\n")
        try repo.write("infrastructure/both.yaml", "both: 1\n")
        try git(["add", "."], repo.url)
        try git(["commit", "-q", "-m", "Add files"], repo.url)
        try repo.write("clusters/production/modified.yaml", "modified: 2\n")
        try FileManager.default.removeItem(at: repo.path("clusters/production/deleted.yaml"))
        try repo.write("clusters/production/untracked/new.yaml", "new: 1\n")
        try repo.write("tenants/staged.yaml", "staged: 1\n")
        try git(["add", "tenants/staged.yaml"], repo.url)
        try repo.write("infrastructure/both.yaml", "both: 2\n")
        try git(["add", "infrastructure/both.yaml"], repo.url)
        try repo.write("infrastructure/both.yaml", "both: 3\n")
        try repo.write(".gitignore", "*.agekey\n")
        try repo.write("demo.agekey", "AGE-SECRET-KEY-1...\n")
        return repo
    }

    @Test func statusReportsEveryKindOfChangeLikeGit() throws {
        let repo = try repositoryInEveryState()
        let status = try GitRepository.discover(from: repo.url).status()
        #expect(status == [
            GitFileStatus(path: ".gitignore", isUntracked: true),
            GitFileStatus(path: "clusters/production/deleted.yaml", unstaged: .deleted),
            GitFileStatus(path: "clusters/production/modified.yaml", unstaged: .modified),
            GitFileStatus(path: "clusters/production/untracked/new.yaml", isUntracked: true),
            GitFileStatus(path: "infrastructure/both.yaml", staged: .modified, unstaged: .modified),
            GitFileStatus(path: "tenants/staged.yaml", staged: .added),
        ])
        let porcelain = try ProcessRunner.run(tool: "git", ["status", "--porcelain", "--untracked-files=all"],
                                              environment: GitSandbox.environment, in: repo.url).stdoutText
        #expect(porcelain.split(separator: "\n").map { String($0.dropFirst(3)) }.sorted() == status.map(\.path))
        #expect(porcelain.contains(" D clusters/production/deleted.yaml\n"))
        #expect(porcelain.contains("MM infrastructure/both.yaml\n"))
    }

    @Test func statusOfPathsIsLimitedToThem() throws {
        let repo = try repositoryInEveryState()
        let opened = try GitRepository.discover(from: repo.url)
        #expect(try opened.status(of: ["clusters/production/untracked", "tenants/"]).map(\.path)
            == ["clusters/production/untracked/new.yaml", "tenants/staged.yaml"])
        #expect(try opened.status(of: ["clusters/production/clean.yaml"]).isEmpty)
    }

    @Test func stagedPathsListsOnlyTheIndexChanges() throws {
        let repo = try repositoryInEveryState()
        #expect(try GitRepository.discover(from: repo.url).stagedPaths() == ["infrastructure/both.yaml", "tenants/staged.yaml"])
        #expect(try git(["diff", "--cached", "--name-only"], repo.url) == "infrastructure/both.yaml\ntenants/staged.yaml")
    }

    @Test func trackedAndIgnoredFollowTheIndexAndGitignore() throws {
        let repo = try repositoryInEveryState()
        let opened = try GitRepository.discover(from: repo.url)
        #expect(try opened.isTracked("clusters/production/clean.yaml"))
        #expect(try opened.isTracked("tenants/staged.yaml"))
        #expect(try !opened.isTracked("clusters/production/untracked/new.yaml"))
        #expect(try !opened.isTracked("demo.agekey"))
        #expect(try opened.isIgnored("demo.agekey"))
        #expect(try opened.isIgnored("keys/other.agekey"))
        #expect(try !opened.isIgnored("clusters/production/clean.yaml"))
        #expect(try !opened.status().contains { $0.path == "demo.agekey" })
    }

    @Test(arguments: ["/etc/passwd", "../outside.yaml", "clusters/../../outside", "", ".", "./"])
    func pathsOutsideTheWorkTreeAreRefused(_ path: String) throws {
        let repo = try GitSandbox.repository()
        let opened = try GitRepository.discover(from: repo.url)
        #expect(throws: GitError.pathOutsideWorkTree(path: path)) { try opened.stage([path]) }
        #expect(throws: GitError.pathOutsideWorkTree(path: path)) { try opened.isTracked(path) }
    }

    @Test func relativePathOfAFileURL() throws {
        let repo = try GitSandbox.repository()
        let opened = try GitRepository.discover(from: repo.url)
        #expect(try opened.relativePath(of: opened.workTree.appendingPathComponent("tenants/xonery/tenant.yaml"))
            == "tenants/xonery/tenant.yaml")
        #expect(throws: GitError.self) { try opened.relativePath(of: URL(fileURLWithPath: "/etc/hosts")) }
    }

    // MARK: staging and committing

    @Test func stageAddsChangesAndRemovesDeletions() throws {
        let repo = try repositoryInEveryState()
        try GitRepository.discover(from: repo.url).stage(["clusters"])
        let porcelain = try git(["status", "--porcelain", "--untracked-files=all", "clusters"], repo.url)
        #expect(porcelain.split(separator: "\n").sorted() == [
            "A  clusters/production/untracked/new.yaml",
            "D  clusters/production/deleted.yaml",
            "M  clusters/production/modified.yaml",
        ])
    }

    @Test func stageSkipsIgnoredFiles() throws {
        let repo = try repositoryInEveryState()
        try GitRepository.discover(from: repo.url).stage(["demo.agekey", ".gitignore"])
        #expect(try git(["diff", "--cached", "--name-only", "--", ".gitignore", "demo.agekey"], repo.url) == ".gitignore")
    }

    @Test func commitRecordsThePathsWithTheGivenAuthor() throws {
        let repo = try GitSandbox.repository()
        let parent = try git(["rev-parse", "HEAD"], repo.url)
        try repo.write("clusters/production/flux-system/gotk-sync.yaml", "kind: GitRepository\n")
        try repo.write("clusters/production/flux-system/kustomization.yaml", "resources: []\n")
        try repo.write("unrelated.txt", "left alone\n")
        let id = try GitRepository.discover(from: repo.url).commit(
            ["clusters/production/flux-system"], message: "Add Flux sync manifests",
            author: GitSignature(name: "Flux Bootstrap", email: "bootstrap@example.com"))
        #expect(id == (try git(["rev-parse", "HEAD"], repo.url)))
        #expect(try git(["log", "-1", "--format=%an <%ae>|%cn <%ce>|%s|%P"], repo.url)
            == "Flux Bootstrap <bootstrap@example.com>|Flux Bootstrap <bootstrap@example.com>|Add Flux sync manifests|\(parent)")
        #expect(try git(["show", "--stat", "--format=", "--name-only", "HEAD"], repo.url)
            == "clusters/production/flux-system/gotk-sync.yaml\nclusters/production/flux-system/kustomization.yaml")
        #expect(try git(["status", "--porcelain"], repo.url) == "?? unrelated.txt")
        #expect(try git(["fsck", "--no-progress"], repo.url).isEmpty)
    }

    @Test func commitTakesTheAuthorFromGitConfig() throws {
        let repo = try GitSandbox.repository()
        try repo.write("tenants/kustomization.yaml", "resources: []\n")
        try GitRepository.discover(from: repo.url).commit(["tenants"], message: "Add tenants")
        #expect(try git(["log", "-1", "--format=%an <%ae>"], repo.url) == "Repo Owner <owner@example.com>")
    }

    @Test func commitWithoutAnyAuthorIsRefused() throws {
        let repo = try GitSandbox.repository(author: nil)
        try repo.write("README.md", "x\n")
        let opened = try GitRepository.discover(from: repo.url)
        #expect(throws: GitError.authorUnknown) { try opened.commit(["README.md"], message: "First") }
    }

    @Test func theFirstCommitOfAnUnbornBranchHasNoParent() throws {
        let repo = try GitSandbox.repository(author: nil)
        try repo.write("clusters/production/infrastructure.yaml", "kind: Kustomization\n")
        try GitRepository.discover(from: repo.url).commit(
            ["clusters"], message: "Start", author: GitSignature(name: "A", email: "a@example.com"))
        #expect(try git(["log", "--format=%s|%P"], repo.url) == "Start|")
        #expect(try git(["rev-parse", "--abbrev-ref", "HEAD"], repo.url) == "main")
    }

    @Test func commitRefusesUnrelatedStagedChanges() throws {
        let repo = try GitSandbox.repository()
        let before = try git(["rev-parse", "HEAD"], repo.url)
        try repo.write("notes/todo.md", "staged by hand\n")
        try git(["add", "notes/todo.md"], repo.url)
        try repo.write("tenants/xonery/tenant.yaml", "kind: Tenant\n")
        let opened = try GitRepository.discover(from: repo.url)
        #expect(throws: GitError.unrelatedStagedChanges(paths: ["notes/todo.md"])) {
            try opened.commit(["tenants/xonery"], message: "Add tenant xonery")
        }
        #expect(try git(["rev-parse", "HEAD"], repo.url) == before)
        // Changes staged under the commit's own paths are part of it, not unrelated.
        try git(["reset", "-q", "notes/todo.md"], repo.url)
        try git(["add", "tenants/xonery/tenant.yaml"], repo.url)
        try opened.commit(["tenants/xonery"], message: "Add tenant xonery")
        #expect(try git(["log", "-1", "--format=%s"], repo.url) == "Add tenant xonery")
    }

    @Test func commitOfARemovedDirectoryDeletesItsFiles() throws {
        let repo = try GitSandbox.repository()
        try repo.write("tenants/acme/tenant.yaml", "kind: Tenant\n")
        try repo.write("tenants/acme/secrets/.gitkeep", "")
        try repo.write("tenants/kustomization.yaml", "resources:\n- acme\n")
        try git(["add", "."], repo.url)
        try git(["commit", "-q", "-m", "Add tenant acme"], repo.url)
        try FileManager.default.removeItem(at: repo.path("tenants/acme"))
        try repo.write("tenants/kustomization.yaml", "resources: []\n")
        try GitRepository.discover(from: repo.url).commit(
            ["tenants/acme", "tenants/kustomization.yaml"], message: "Remove tenant acme")
        #expect(try git(["show", "--name-status", "--format=%s", "HEAD"], repo.url)
            == "Remove tenant acme\n\nD\ttenants/acme/secrets/.gitkeep\nD\ttenants/acme/tenant.yaml\nM\ttenants/kustomization.yaml")
        #expect(try git(["status", "--porcelain"], repo.url).isEmpty)
    }

    @Test func committingAnUnchangedTreeIsRefused() throws {
        let repo = try GitSandbox.repository()
        let opened = try GitRepository.discover(from: repo.url)
        #expect(throws: GitError.nothingToCommit) { try opened.commit(["README.md"], message: "Again") }
        #expect(try git(["rev-list", "--count", "HEAD"], repo.url) == "1")
    }

    @Test func commitsMadeByGitAfterOursStackCleanly() throws {
        let repo = try GitSandbox.repository()
        try repo.write("a.yaml", "a: 1\n")
        try GitRepository.discover(from: repo.url).commit(["a.yaml"], message: "Ours")
        try repo.write("b.yaml", "b: 1\n")
        try git(["add", "b.yaml"], repo.url)
        try git(["commit", "-q", "-m", "Theirs"], repo.url)
        #expect(try git(["log", "--format=%s"], repo.url) == "Theirs\nOurs\nInitial commit")
        #expect(try git(["status", "--porcelain"], repo.url).isEmpty)
    }

    // MARK: signatures

    @Test(arguments: [
        ("Flux Bootstrap <bootstrap@example.com>", GitSignature(name: "Flux Bootstrap", email: "bootstrap@example.com")),
        ("  Ana María <ana@example.org> ", GitSignature(name: "Ana María", email: "ana@example.org")),
    ])
    func signatureParsesNameAndEmail(_ text: String, _ expected: GitSignature) throws {
        #expect(try GitSignature(parsing: text) == expected)
        #expect(expected.description == text.trimmingCharacters(in: .whitespaces))
    }

    @Test(arguments: ["bootstrap@example.com", "Name", "<a@b.c>", "Name <>", "Name <a@b.c", "A <b> <c@d.e>"])
    func signatureRejectsOtherForms(_ text: String) {
        #expect(throws: GitError.invalidAuthor(text)) { try GitSignature(parsing: text) }
    }

    // MARK: push

    @Test func pushSendsTheBranchToAFileRemote() throws {
        let repo = try GitSandbox.repository()
        let bare = try TemporaryDirectory()
        try git(["init", "-q", "--bare", "-b", "main"], bare.url)
        try git(["remote", "add", "origin", bare.url.absoluteString], repo.url)
        try repo.write("clusters/production/flux-system/gotk-sync.yaml", "kind: GitRepository\n")
        let opened = try GitRepository.discover(from: repo.url)
        let id = try opened.commit(["clusters"], message: "Add Flux sync manifests")
        try opened.push()
        #expect(try git(["log", "--format=%s", "main"], bare.url) == "Add Flux sync manifests\nInitial commit")
        #expect(try git(["rev-parse", "main"], bare.url) == id)
        // A second push with nothing new succeeds and changes nothing.
        try opened.push()
        #expect(try git(["rev-parse", "main"], bare.url) == id)
    }

    @Test func pushToALocalPathRemoteWorks() throws {
        let repo = try GitSandbox.repository()
        let bare = try TemporaryDirectory()
        try git(["init", "-q", "--bare", "-b", "main"], bare.url)
        try git(["remote", "add", "backup", bare.url.path], repo.url)
        try GitRepository.discover(from: repo.url).push(branch: "main", to: "backup")
        #expect(try git(["log", "--format=%s", "main"], bare.url) == "Initial commit")
    }

    @Test func pushThatIsNotAFastForwardIsRejected() throws {
        let repo = try GitSandbox.repository()
        let bare = try TemporaryDirectory()
        try git(["init", "-q", "--bare", "-b", "main"], bare.url)
        try git(["remote", "add", "origin", bare.url.absoluteString], repo.url)
        try git(["push", "-q", "origin", "main"], repo.url)
        // Someone else pushes first.
        let other = try TemporaryDirectory()
        try git(["clone", "-q", bare.url.absoluteString, "."], other.url)
        try other.write("theirs.yaml", "x: 1\n")
        try git(["add", "."], other.url)
        try git(["-c", "user.name=Other", "-c", "user.email=o@example.com", "commit", "-q", "-m", "Theirs"], other.url)
        try git(["push", "-q", "origin", "main"], other.url)
        let theirs = try git(["rev-parse", "main"], bare.url)

        try repo.write("ours.yaml", "y: 1\n")
        let opened = try GitRepository.discover(from: repo.url)
        try opened.commit(["ours.yaml"], message: "Ours")
        #expect(throws: GitError.pushRejected(reference: "refs/heads/main", reason: "not a fast-forward of the remote branch")) {
            try opened.push()
        }
        #expect(try git(["rev-parse", "main"], bare.url) == theirs)
    }

    @Test func pushWithoutTheRemoteNamesIt() throws {
        let repo = try GitSandbox.repository()
        #expect(throws: GitError.remoteNotFound(name: "origin")) { try GitRepository.discover(from: repo.url).push() }
    }

    @Test func pushOverHTTPSIsRefusedBeforeConnecting() throws {
        let repo = try GitSandbox.repository()
        try git(["remote", "add", "origin", "https://github.com/example-org/platform.git"], repo.url)
        do {
            try GitRepository.discover(from: repo.url).push()
            Issue.record("push over https did not fail")
        } catch {
            guard case .unsupportedRemote(let url, let reason) = error else {
                Issue.record("unexpected \(error)")
                return
            }
            #expect(url == "https://github.com/example-org/platform.git")
            #expect(reason.contains("HTTPS"))
        }
    }

    @Test func pushOnADetachedHeadNeedsABranch() throws {
        let repo = try GitSandbox.repository()
        try git(["remote", "add", "origin", "file:///nonexistent"], repo.url)
        try git(["checkout", "-q", "--detach"], repo.url)
        #expect(throws: GitError.detachedHead) { try GitRepository.discover(from: repo.url).push() }
    }

    @Test func sshRemotesAreAcceptedByThisLibgit2() throws {
        // Debian's libgit2 is built with libssh2: ssh:// and scp-style URLs pass the
        // transport check (authentication happens at push time).
        #expect(LibGit2.supportsSSH)
        try GitRepository.checkTransport(of: "ssh://git@github.com/example-org/platform")
        try GitRepository.checkTransport(of: "git@github.com:example-org/platform.git")
        try GitRepository.checkTransport(of: "file:///srv/git/platform.git")
    }
}

extension GitRepositoryTests {
    @Test func pushOverSSHToAClosedPortNamesTheRemote() throws {
        let repo = try GitSandbox.repository()
        // Port 1 on loopback: nothing listens, so the SSH transport fails at connect.
        try GitSandbox.git(["remote", "add", "origin", "ssh://git@127.0.0.1:1/example-org/platform.git"], in: repo.url)
        let key = try TemporaryDirectory()
        do {
            try GitRepository.discover(from: repo.url)
                .push(credentials: .sshKeyFile(path: key.path("id_ed25519").path))
            Issue.record("push to a closed port succeeded")
        } catch {
            #expect(error.description.contains("push to origin (ssh://git@127.0.0.1:1/example-org/platform.git)"))
            #expect(error.description.lowercased().contains("connect"))
        }
    }
}

extension GitRepositoryTests {
    /// The host and port the unknown-host-key hint tells the user to scan.
    @Test(arguments: [
        ("ssh://git@github.com/acme/platform", "github.com", nil as Int?),
        ("ssh://git@127.0.0.1:2222/srv/git/platform.git", "127.0.0.1", 2222),
        ("ssh://git@gitea.local:22/a/b", "gitea.local", nil),
        ("git@github.com:acme/platform.git", "github.com", nil),
    ])
    func sshHostIsWhatSSHKeyscanTakes(url: String, host: String, port: Int?) {
        let found = GitRepository.sshHost(of: url)
        #expect(found.host == host && found.port == port)
    }

    @Test func unknownHostKeyHintNamesTheScanCommand() {
        #expect(GitError.unknownHostKey(url: "ssh://git@h:2222/r", host: "h", port: 2222).hint
                == "check the host's key fingerprint, then add it: ssh-keyscan -p 2222 h >> ~/.ssh/known_hosts")
        #expect(GitError.unknownHostKey(url: "git@h:r", host: "h", port: nil).hint?.contains("ssh-keyscan h >>") == true)
    }
}
