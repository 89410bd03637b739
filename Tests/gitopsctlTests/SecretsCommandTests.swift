import Foundation
import Testing
import TestSupport

/// The secrets commands through the built binary: outputs, sops's exit codes, in-place and
/// bulk operation, judged by files on disk and by the real sops.
@Suite struct SecretsCommandTests {
    static let alice = "age1dd2x46en7tylu7rwaw7e7pzp84rl7tkj264vf054dxvkzsrggs3s6hg6tv"
    static let bob = "age1sehluehqzvrusd9h6xz9gyfddjtgr62xx80w83m7zsfy4p5ezats4vadfu"

    static func vector(_ relative: String) -> String { TestPaths.vectors.appendingPathComponent(relative).path }

    static func run(_ arguments: [String], key: String? = "alice", in directory: URL? = nil,
                    extra: [String: String?] = [:]) throws -> ProcessResult {
        var environment: [String: String?] = [
            "HOME": directory?.path ?? "/nonexistent", "XDG_CONFIG_HOME": nil, "SOPS_AGE_KEY": nil,
            "SOPS_AGE_KEY_FILE": key.map { vector("keys/\($0).txt") }, "SOPS_AGE_RECIPIENTS": nil,
            "SOPS_AGE_SSH_PRIVATE_KEY_FILE": nil, "NO_COLOR": "1",
        ]
        for (name, value) in extra { environment[name] = value }
        return try ProcessRunner.gitopsctl(arguments, environment: environment, in: directory)
    }

    struct Expected: Sendable, CustomTestStringConvertible {
        var file: String
        var key: String
        var output: String
        var testDescription: String { file }
    }

    @Test(arguments: [
        Expected(file: "sops/y01-basic.enc.yaml", key: "alice", output: "sops/y01-basic.decrypted.yaml"),
        Expected(file: "sops/j01-basic.enc.json", key: "alice", output: "sops/j01-basic.decrypted.json"),
        Expected(file: "sops/e01-basic.enc.env", key: "alice", output: "sops/e01-basic.decrypted.env"),
        Expected(file: "sops/b03-multi-recipient.enc.pem", key: "erin", output: "sops/b03-multi-recipient.decrypted.pem"),
        Expected(file: "sops-upstream/kc-global-secret.enc.yaml", key: "kc-age-global", output: "sops-upstream/kc-global-secret.decrypted.yaml"),
    ])
    func decryptPrintsWhatSopsPrints(expected: Expected) throws {
        let result = try Self.run(["decrypt", Self.vector(expected.file)], key: expected.key)
        #expect(result.status == 0, "\(result.stderrText)")
        #expect(result.stdout == (try Data(contentsOf: URL(fileURLWithPath: Self.vector(expected.output)))))
    }

    /// sops users pipe files in through `/dev/stdin` with `--input-type`; so can ours.
    @Test func decryptReadsAPipe() throws {
        let encrypted = try Data(contentsOf: URL(fileURLWithPath: Self.vector("sops/y01-basic.enc.yaml")))
        var environment: [String: String?] = ["SOPS_AGE_KEY_FILE": Self.vector("keys/alice.txt"), "SOPS_AGE_KEY": nil,
                                              "HOME": "/nonexistent", "NO_COLOR": "1"]
        let result = try ProcessRunner.gitopsctl(["decrypt", "--input-type", "yaml", "/dev/stdin"], stdin: encrypted,
                                                 environment: environment)
        #expect(result.status == 0, "\(result.stderrText)")
        #expect(result.stdout == (try Data(contentsOf: URL(fileURLWithPath: Self.vector("sops/y01-basic.decrypted.yaml")))))
        environment["SOPS_AGE_KEY_FILE"] = nil
        let directory = try ProcessRunner.gitopsctl(["decrypt", TestPaths.vectors.path], environment: environment)
        #expect(directory.status != 0)
        #expect(directory.stderrText.contains("\(TestPaths.vectors.path): is a directory"))
    }

    /// CI scripts branch on sops's exit codes: a missing file is 100, a directory is 2.
    @Test(arguments: ["/nonexistent/secret.yaml", "/tmp"])
    func unreadableInputsExitAsSopsDoes(path: String) throws {
        let ours = try Self.run(["decrypt", path])
        let sops = try ProcessRunner.run(tool: "sops", ["decrypt", path], environment: ["SOPS_AGE_KEY_FILE": nil])
        #expect(ours.status == sops.status, "\(ours.stderrText)")
        #expect(ours.stderrText.contains(path))
    }

    @Test func decryptWithShamirGroupsNeedsKeysFromBothGroups() throws {
        let keys = try ["alice", "bob"].map { try String(contentsOfFile: Self.vector("keys/\($0).txt"), encoding: .utf8) }.joined()
        let both = try Self.run(["decrypt", Self.vector("sops/y09-shamir-2of2.enc.yaml")], key: nil, extra: ["SOPS_AGE_KEY": keys])
        #expect(both.status == 0, "\(both.stderrText)")
        let one = try Self.run(["decrypt", Self.vector("sops/y09-shamir-2of2.enc.yaml")], key: "alice")
        #expect(one.status == 128)
        #expect(one.stdout.isEmpty)
    }

    struct Failure: Sendable, CustomTestStringConvertible {
        var arguments: [String]
        var key: String?
        var status: Int32
        var message: String
        var testDescription: String { arguments.joined(separator: " ") }
    }

    @Test(arguments: [
        Failure(arguments: ["decrypt", vector("sops/y17-mac-mismatch.enc.yaml")], key: "alice", status: 51,
                message: "MAC mismatch. File has AA3A6A82B35C6C3841F04DCB4F330650ECF3B0CD35E44ABD7C6550B9910049FA9C234EB54670F774A1A70A08748706ECDCE8041A8CC08D766428E01297009B99, computed 8838636E5C41BBCA5956719EB27FB11A418B8FBF3019D9A69228A034D161D2D0FFA7F2562078D1D201D63AFCBB547187BEF15FE2A250C6D6104F4D5B868F4051"),
        Failure(arguments: ["decrypt", vector("sops/y22-aad-swap.enc.yaml")], key: "carol", status: 25,
                message: "could not decrypt the value at credentials.api_key"),
        Failure(arguments: ["decrypt", vector("sops/y04-multi-recipient.enc.yaml")], key: "dave", status: 128,
                message: "age1dd2x46en7tylu7rwaw7e7pzp84rl7tkj264vf054dxvkzsrggs3s6hg6tv: FAILED"),
        Failure(arguments: ["decrypt", "--extract", "[\"app\"][\"nope\"]", vector("sops/y01-basic.enc.yaml")], key: "alice",
                status: 91, message: "error truncating tree: component ['nope'] not found"),
        Failure(arguments: ["decrypt", "--extract", "[\"list_of_strings\"][9]", vector("sops/y01-basic.enc.yaml")], key: "alice",
                status: 91, message: "component [9] accesses out of bounds"),
        Failure(arguments: ["encrypt", "--age", alice, vector("sops/y01-basic.enc.yaml")], key: nil, status: 203,
                message: "already encrypted"),
        Failure(arguments: ["decrypt", vector("sops/y01-basic.plain.yaml")], key: "alice", status: 1,
                message: "sops metadata not found"),
        Failure(arguments: ["decrypt", "/nonexistent/secret.yaml"], key: "alice", status: 100, message: "cannot read /nonexistent/secret.yaml"),
        Failure(arguments: ["encrypt", vector("sops/y01-basic.plain.yaml")], key: nil, status: 61,
                message: "config file not found, or has no creation rules, and no keys provided"),
        Failure(arguments: ["encrypt", "--age", alice, "--encrypted-regex", "a", "--encrypted-suffix", "b", vector("sops/y01-basic.plain.yaml")],
                key: nil, status: 8, message: "only one of"),
    ])
    func failuresUseSopsExitCodesAndPrintNothing(failure: Failure) throws {
        let result = try Self.run(failure.arguments, key: failure.key)
        #expect(result.status == failure.status, "\(result.stderrText)")
        #expect(result.stdout.isEmpty)
        #expect(result.stderrText.contains(failure.message), "\(result.stderrText)")
    }

    @Test func malformedEncryptedValueNamesTheValue() throws {
        let directory = try TemporaryDirectory(prefix: "secrets-malformed")
        let text = try String(contentsOfFile: Self.vector("sops/y04-multi-recipient.enc.yaml"), encoding: .utf8)
        let broken = text.replacingOccurrences(of: "api_key: ENC[AES256_GCM,data:", with: "api_key: ENC[AES256_GCM,dta:")
        try directory.write("broken.yaml", broken)
        let result = try Self.run(["decrypt", "broken.yaml"], key: "carol", in: directory.url)
        #expect(result.status == 25)
        let line = try #require(broken.split(separator: "\n", omittingEmptySubsequences: false).firstIndex { $0.contains("api_key:") })
        #expect(result.stderrText.contains("broken.yaml:\(line + 1):14 (credentials.api_key): malformed ENC"), "\(result.stderrText)")
    }

    @Test func inPlaceRoundTripKeepsModeAndComments() throws {
        let directory = try TemporaryDirectory(prefix: "secrets-inplace")
        try FileManager.default.copyItem(at: TestPaths.fixtures.appendingPathComponent("sops/rich.yaml"), to: directory.path("rich.yaml"))
        try FileManager.default.setAttributes([.posixPermissions: 0o640], ofItemAtPath: directory.path("rich.yaml").path)
        let original = try String(contentsOf: directory.path("rich.yaml"), encoding: .utf8)

        let encrypted = try Self.run(["encrypt", "-i", "--age", Self.alice, "rich.yaml"], in: directory.url)
        #expect(encrypted.status == 0, "\(encrypted.stderrText)")
        #expect(encrypted.stdout.isEmpty)
        let ciphertext = try String(contentsOf: directory.path("rich.yaml"), encoding: .utf8)
        #expect(!ciphertext.contains("hunter2") && !ciphertext.contains("s3cr3t"))
        #expect(try Self.mode(directory.path("rich.yaml")) == 0o640)

        let decrypted = try Self.run(["decrypt", "-i", "rich.yaml"], in: directory.url)
        #expect(decrypted.status == 0, "\(decrypted.stderrText)")
        let plain = try String(contentsOf: directory.path("rich.yaml"), encoding: .utf8)
        #expect(try Self.mode(directory.path("rich.yaml")) == 0o640)
        // Every comment, full-line or trailing (sops 3.11 moves a trailing one above its key).
        let comments = { (text: String) in
            text.split(separator: "\n").compactMap { line in line.range(of: "# ").map { String(line[$0.lowerBound...]) } }
        }
        #expect(comments(plain) == comments(original))
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.url.path).sorted() == ["rich.yaml"])
    }

    @Test func decryptRecursiveWritesEveryCoveredFileAndReportsFailures() throws {
        let directory = try TemporaryDirectory(prefix: "secrets-recursive")
        try directory.write(".sops.yaml", "creation_rules:\n  - path_regex: secrets/.*\\.yaml$\n    age: \(Self.alice)\n")
        for name in ["a", "b", "c"] {
            try directory.write("secrets/team/\(name).yaml", "stringData:\n    password: pw-\(name)\n")
            #expect(try Self.run(["encrypt", "-i", "secrets/team/\(name).yaml"], in: directory.url).status == 0)
        }
        try directory.write("secrets/README.md", "not covered by a rule")
        let good = try Self.run(["decrypt", "-r", "secrets", "--output", "plain"], in: directory.url)
        #expect(good.status == 0, "\(good.stderrText)")
        for name in ["a", "b", "c"] {
            let text = try String(contentsOf: directory.path("plain/secrets/team/\(name).yaml"), encoding: .utf8)
            #expect(text == "stringData:\n    password: pw-\(name)\n")
            #expect(try Self.mode(directory.path("plain/secrets/team/\(name).yaml")) & 0o077 == 0)
        }
        #expect(!FileManager.default.fileExists(atPath: directory.path("plain/secrets/README.md").path))

        let tampered = try String(contentsOf: directory.path("secrets/team/b.yaml"), encoding: .utf8)
            .replacingOccurrences(of: "lastmodified: \"", with: "lastmodified: \"1")
        try directory.write("secrets/team/b.yaml", tampered)
        let partial = try Self.run(["decrypt", "-r", "secrets", "--output", "plain2"], in: directory.url)
        #expect(partial.status == 1)
        #expect(partial.stderrText.contains("secrets/team/b.yaml"))
        #expect(FileManager.default.fileExists(atPath: directory.path("plain2/secrets/team/c.yaml").path))
        #expect(!FileManager.default.fileExists(atPath: directory.path("plain2/secrets/team/b.yaml").path))
    }

    @Test func updatekeysCheckFailsUntilTheFilesFollowTheRule() throws {
        let directory = try TemporaryDirectory(prefix: "secrets-updatekeys")
        try directory.write(".sops.yaml", "creation_rules:\n  - age: \(Self.alice)\n")
        try directory.write("s/one.yaml", "password: one\n")
        try directory.write("s/two.yaml", "password: two\n")
        #expect(try Self.run(["encrypt", "-i", "-r", "s"], in: directory.url).status == 0)
        #expect(try Self.run(["updatekeys", "--check", "-r", "s"], in: directory.url).status == 0)

        try directory.write(".sops.yaml", "creation_rules:\n  - age: \(Self.alice),\(Self.bob)\n")
        let stale = try Self.run(["updatekeys", "--check", "-r", "s"], in: directory.url)
        #expect(stale.status == 1)
        #expect(stale.stderrText.contains("+ \(Self.bob)"))
        let updated = try Self.run(["updatekeys", "--yes", "-r", "s"], in: directory.url)
        #expect(updated.status == 0, "\(updated.stderrText)")
        #expect(try Self.run(["updatekeys", "--check", "-r", "s"], in: directory.url).status == 0)
        let asBob = try Self.run(["decrypt", "s/two.yaml"], key: "bob", in: directory.url)
        #expect(asBob.stdoutText == "password: two\n")
    }

    @Test func rotateSeveralFilesKeepsThemReadableBySops() throws {
        let directory = try TemporaryDirectory(prefix: "secrets-rotate")
        try directory.write(".sops.yaml", "creation_rules:\n  - age: \(Self.alice)\n")
        try directory.write("one.json", "{\"password\": \"one\"}\n")
        try directory.write("two.env", "PASSWORD=two\n")
        #expect(try Self.run(["encrypt", "-i", "one.json", "two.env"], in: directory.url).status == 0)
        let before = try String(contentsOf: directory.path("one.json"), encoding: .utf8)
        let rotated = try Self.run(["rotate", "one.json", "two.env"], in: directory.url)
        #expect(rotated.status == 0, "\(rotated.stderrText)")
        #expect(try String(contentsOf: directory.path("one.json"), encoding: .utf8) != before)
        let sops = try ProcessRunner.run(tool: "sops", ["decrypt", "two.env"], environment: [
            "SOPS_AGE_KEY_FILE": Self.vector("keys/alice.txt"), "SOPS_DISABLE_VERSION_CHECK": "1", "HOME": directory.url.path,
        ], in: directory.url)
        #expect(sops.stdoutText == "PASSWORD=two\n")
    }

    @Test func showRuleNamesTheFirstMatchingRule() throws {
        let directory = try TemporaryDirectory(prefix: "secrets-show-rule")
        try directory.write(".sops.yaml", """
        creation_rules:
          - path_regex: ^tenants/.*\\.yaml$
            encrypted_regex: ^(data|stringData)$
            age: \(Self.bob)
          - age: \(Self.alice)

        """)
        try directory.write("tenants/a/db.yaml", "stringData:\n    password: x\n")
        try FileManager.default.createDirectory(at: directory.path("tenants/a/deeper"), withIntermediateDirectories: true)
        let result = try Self.run(["encrypt", "--show-rule", "../db.yaml"], in: directory.path("tenants/a/deeper"))
        #expect(result.status == 0, "\(result.stderrText)")
        #expect(result.stdoutText.contains("creation rule 1 (path_regex: ^tenants/.*\\.yaml$)"))
        #expect(result.stdoutText.contains("age: \(Self.bob)"))
        #expect(result.stdoutText.contains("encrypted_regex: ^(data|stringData)$"))
        #expect(result.stdoutText.contains("matches tenants/a/db.yaml"))
    }

    @Test func fluxSecretKeepsKubernetesFieldsReadable() throws {
        let directory = try TemporaryDirectory(prefix: "secrets-flux")
        try FileManager.default.copyItem(at: TestPaths.fixtures.appendingPathComponent("sops/flux-secret.yaml"), to: directory.path("db.yaml"))
        let result = try Self.run(["encrypt", "--age", Self.alice, "--encrypted-regex", "^(data|stringData)$", "db.yaml"], in: directory.url)
        #expect(result.status == 0)
        let text = result.stdoutText
        for line in ["apiVersion: v1", "kind: Secret", "    name: db", "    namespace: apps", "type: Opaque"] {
            #expect(text.contains(line + "\n"))
        }
        #expect(text.contains("    password: ENC[AES256_GCM,"))
        #expect(text.contains("    ca.crt: ENC[AES256_GCM,"))
        #expect(text.contains("    encrypted_regex: ^(data|stringData)$\n"))
    }

    static func mode(_ url: URL) throws -> Int {
        (try FileManager.default.attributesOfItem(atPath: url.path)[.posixPermissions] as? Int) ?? -1
    }
}
