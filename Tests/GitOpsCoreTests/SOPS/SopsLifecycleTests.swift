import Foundation
import Testing
import TestSupport
@testable import GitOpsCore

/// rotate, updatekeys and edit, each checked against the real sops in both directions.
@Suite struct SopsLifecycleTests {
    static let alice = SopsFixtureInteropTests.alice
    static let bob = "age1sehluehqzvrusd9h6xz9gyfddjtgr62xx80w83m7zsfy4p5ezats4vadfu"

    /// A directory with flux-secret.yaml, a `.sops.yaml` naming `recipients`, and both tools.
    struct Repo {
        let directory: TemporaryDirectory
        let file = "secret.yaml"

        init(recipients: [String]) throws {
            directory = try TemporaryDirectory(prefix: "sops-lifecycle")
            try FileManager.default.copyItem(at: TestPaths.fixtures.appendingPathComponent("sops/flux-secret.yaml"),
                                             to: directory.path(file))
            try setRecipients(recipients)
        }

        func setRecipients(_ recipients: [String]) throws {
            try directory.write(".sops.yaml", """
            creation_rules:
              - path_regex: \\.yaml$
                encrypted_regex: ^(data|stringData)$
                age: \(recipients.joined(separator: ","))

            """)
        }

        func workspace(key: String = "alice") -> SopsWorkspace {
            let keyFile = TestPaths.vectors.appendingPathComponent("keys/\(key).txt").path
            return SopsWorkspace(keySources: SopsKeySources(environment: ["SOPS_AGE_KEY_FILE": keyFile, "HOME": directory.url.path]),
                                 workingDirectory: directory.url.path)
        }

        func sops(_ arguments: [String], key: String = "alice", editor: String? = nil) throws -> ProcessResult {
            try ProcessRunner.run(tool: "sops", arguments, environment: [
                "HOME": directory.url.path, "SOPS_DISABLE_VERSION_CHECK": "1", "SOPS_AGE_KEY": nil, "XDG_CONFIG_HOME": nil,
                "SOPS_AGE_KEY_FILE": TestPaths.vectors.appendingPathComponent("keys/\(key).txt").path, "EDITOR": editor,
                "SOPS_EDITOR": nil,
            ], in: directory.url)
        }

        func bytes() throws -> [UInt8] { Array(try Data(contentsOf: directory.path(file))) }
        func text() throws -> String { String(decoding: try bytes(), as: UTF8.self) }
    }

    static func encryptWithUs(_ repo: Repo) throws {
        let workspace = repo.workspace()
        try workspace.write(try workspace.encrypt(repo.file, options: .init()), to: repo.file)
    }

    @Test func sopsRotateOfOurFileDecryptsWithUs() throws {
        let repo = try Repo(recipients: [Self.alice])
        try Self.encryptWithUs(repo)
        let before = try repo.text()
        let rotated = try repo.sops(["rotate", "-i", repo.file])
        try #require(rotated.status == 0, "\(rotated.stderrText)")
        #expect(try repo.text() != before)
        let plain = try repo.workspace().open(repo.file).plaintext()
        #expect(String(decoding: plain, as: UTF8.self).contains("password: hunter2"))
    }

    @Test func ourRotateChangesEveryValueAndSopsReadsIt() throws {
        let repo = try Repo(recipients: [Self.alice])
        let encrypted = try repo.sops(["encrypt", "-i", repo.file])
        try #require(encrypted.status == 0, "\(encrypted.stderrText)")
        let before = try repo.text()
        try repo.workspace().rotate(repo.file)
        let after = try repo.text()
        let valueLines = { (text: String) in text.split(separator: "\n").filter { $0.contains("ENC[") && !$0.contains("mac:") } }
        #expect(Set(valueLines(before)).isDisjoint(with: Set(valueLines(after))))
        let judged = try repo.sops(["decrypt", repo.file])
        #expect(judged.status == 0, "\(judged.stderrText)")
        #expect(judged.stdoutText.contains("password: hunter2"))
    }

    @Test func sopsUpdatekeysOfOurFileAddsARecipientWeDecryptWith() throws {
        let repo = try Repo(recipients: [Self.alice])
        try Self.encryptWithUs(repo)
        try repo.setRecipients([Self.alice, Self.bob])
        let updated = try repo.sops(["updatekeys", "-y", repo.file])
        try #require(updated.status == 0, "\(updated.stderrText)")
        let plain = try repo.workspace(key: "bob").open(repo.file).plaintext()
        #expect(String(decoding: plain, as: UTF8.self).contains("username: admin"))
    }

    @Test func ourUpdatekeysOfSopsFileSwapsRecipients() throws {
        let repo = try Repo(recipients: [Self.alice])
        try #require(try repo.sops(["encrypt", "-i", repo.file]).status == 0)
        let valuesBefore = try repo.text().split(separator: "\n").filter { $0.contains("ENC[") }
        try repo.setRecipients([Self.bob])
        let update = try repo.workspace().keyUpdate(for: repo.file)
        #expect(update.added == [Self.bob])
        #expect(update.removed == [Self.alice])
        #expect(!update.isCurrent)
        try repo.workspace().applyKeyUpdate(update)
        #expect(try repo.workspace().keyUpdate(for: repo.file).isCurrent)
        // Values, MAC and lastmodified are untouched: only the key wrapping changed.
        #expect(try repo.text().split(separator: "\n").filter { $0.contains("ENC[") } == valuesBefore)
        let asBob = try repo.sops(["decrypt", repo.file], key: "bob")
        #expect(asBob.status == 0, "\(asBob.stderrText)")
        #expect(try repo.sops(["decrypt", repo.file], key: "alice").status == 128)
    }

    @Test func editReencryptsChangedValuesKeepingOthersByteForByte() throws {
        let repo = try Repo(recipients: [Self.alice])
        try Self.encryptWithUs(repo)
        let before = try repo.text()
        let session = SopsEditSession(workspace: repo.workspace(), editor: "sed -i s/hunter2/correct-horse/")
        #expect(try session.run(repo.file) { _ in false } == .saved)
        let after = try repo.text()
        let usernameLine = { (text: String) in text.split(separator: "\n").first { $0.contains("username:") } }
        #expect(usernameLine(before) == usernameLine(after))
        let judged = try repo.sops(["decrypt", repo.file])
        #expect(judged.status == 0, "\(judged.stderrText)")
        #expect(judged.stdoutText.contains("password: correct-horse"))
    }

    @Test func editWithoutChangesDoesNotRewrite() throws {
        let repo = try Repo(recipients: [Self.alice])
        try Self.encryptWithUs(repo)
        let before = try repo.bytes()
        let session = SopsEditSession(workspace: repo.workspace(), editor: "true")
        #expect(try session.run(repo.file) { _ in false } == .unchanged)
        #expect(try repo.bytes() == before)
    }

    @Test func editWithInvalidResultLeavesTheOriginalAndNoPlaintext() throws {
        let repo = try Repo(recipients: [Self.alice])
        try Self.encryptWithUs(repo)
        let before = try repo.bytes()
        let marker = try TemporaryDirectory(prefix: "sops-edit-marker")
        // The "editor" breaks the YAML and records where the plaintext lived.
        let editor = "sh -c 'echo \"{ broken: [\" > \"$0\"; echo \"$0\" > \(marker.url.path)/where'"
        var retries = 0
        #expect(throws: SopsError.self) {
            try SopsEditSession(workspace: repo.workspace(), editor: editor).run(repo.file) { _ in retries += 1; return retries < 2 }
        }
        #expect(retries == 2)
        #expect(try repo.bytes() == before)
        let scratch = try String(contentsOf: marker.path("where"), encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(!FileManager.default.fileExists(atPath: scratch))
        #expect(!FileManager.default.fileExists(atPath: (scratch as NSString).deletingLastPathComponent))
    }

    @Test func sopsEditOfOurFileKeepsItReadable() throws {
        let repo = try Repo(recipients: [Self.alice])
        try Self.encryptWithUs(repo)
        let edited = try repo.sops(["edit", repo.file], editor: "sed -i s/admin/root/")
        try #require(edited.status == 0, "\(edited.stderrText)")
        let plain = try repo.workspace().open(repo.file).plaintext()
        #expect(String(decoding: plain, as: UTF8.self).contains("username: root"))
    }
}
