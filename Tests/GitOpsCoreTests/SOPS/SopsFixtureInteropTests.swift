import Foundation
import Testing
import TestSupport
@testable import GitOpsCore

/// Both directions against the real sops on fixtures that exercise every store, crypt rule
/// and comment placement: what sops encrypts we decrypt to sops's own output, and what we
/// encrypt sops decrypts to that same output.
@Suite struct SopsFixtureInteropTests {
    static let alice = "age1dd2x46en7tylu7rwaw7e7pzp84rl7tkj264vf054dxvkzsrggs3s6hg6tv"

    struct Case: CustomStringConvertible, Sendable {
        var fixture: String
        /// `--flag value` for both tools, or a line for the `.sops.yaml` rule.
        var flags: [String] = []
        var ruleLine: String?
        var description: String { "\(fixture) \(flags.joined(separator: " "))\(ruleLine ?? "")" }
    }

    static let cases: [Case] = [
        Case(fixture: "rich.yaml"),
        Case(fixture: "rich.yaml", flags: ["--encrypted-regex", "^(data|stringData)$"]),
        Case(fixture: "rich.yaml", flags: ["--unencrypted-regex", "^public"]),
        Case(fixture: "rich.yaml", flags: ["--encrypted-suffix", "_secret"]),
        Case(fixture: "rich.yaml", flags: ["--unencrypted-suffix", "_plain"]),
        Case(fixture: "rich.yaml", ruleLine: "mac_only_encrypted: true"),
        Case(fixture: "comments.yaml"),
        Case(fixture: "comments.yaml", ruleLine: "encrypted_comment_regex: sops:enc"),
        Case(fixture: "comments.yaml", ruleLine: "unencrypted_comment_regex: sops:plain"),
        Case(fixture: "flux-secret.yaml", ruleLine: "encrypted_regex: ^(data|stringData)$"),
        Case(fixture: "rich.json"),
        Case(fixture: "rich.json", flags: ["--unencrypted-suffix", "_plain"]),
        Case(fixture: "rich.json", ruleLine: "mac_only_encrypted: true"),
        Case(fixture: "rich.env"),
        Case(fixture: "rich.bin"),
    ]

    @Test(arguments: cases)
    func bothDirectionsAgreeWithSops(testCase: Case) throws {
        let run = try Run(testCase)
        let sopsEncrypted = try run.sops(["encrypt"] + run.keyFlags + [testCase.fixture])
        try #require(sopsEncrypted.status == 0, "\(sopsEncrypted.stderrText)")
        try sopsEncrypted.stdout.write(to: run.directory.path("theirs." + testCase.fixture))
        let reference = try run.sops(["decrypt", "theirs." + testCase.fixture])
        try #require(reference.status == 0, "\(reference.stderrText)")

        let theirs = try run.workspace.open("theirs." + testCase.fixture, format: SopsFormat(path: testCase.fixture))
        #expect(String(decoding: try theirs.plaintext(), as: UTF8.self) == reference.stdoutText)

        var options = SopsWorkspace.EncryptOptions()
        options.recipients = testCase.ruleLine == nil ? [Self.alice] : []
        var flags = testCase.flags.makeIterator()
        while let flag = flags.next(), let value = flags.next() {
            options.cryptRules[String(flag.dropFirst(2)).replacingOccurrences(of: "-", with: "_")] = value
        }
        let ours = try run.workspace.encrypt(testCase.fixture, options: options)
        try Data(ours).write(to: run.directory.path("ours." + testCase.fixture))
        let judged = try run.sops(["decrypt", "ours." + testCase.fixture])
        #expect(judged.status == 0, "\(judged.stderrText)")
        #expect(judged.stdoutText == reference.stdoutText)
        #expect(!judged.stderrText.contains("unencrypted comment"), "a comment went where sops does not look for it")
    }

    /// go-yaml double-quotes strings with characters outside the Basic Multilingual Plane
    /// (`"\U0001F680"`), and so must we for byte-identical decrypted output.
    @Test func decryptedEmojiIsQuotedLikeGoYAML() throws {
        let directory = try TemporaryDirectory(prefix: "sops-emoji")
        try directory.write("e.yaml", "rocket: \"go 🚀\"\n")
        let settings = try SopsEncryptionSettings(recipients: [Self.alice])
        let encrypted = try SopsFile.encrypt(Array("rocket: \"go 🚀\"\n".utf8), path: "e.yaml", format: .yaml, settings: settings)
        let identities = try AgeIdentity.parseIdentityFile(try sopsVectorBytes("keys/alice.txt"), source: "alice")
        let plain = try SopsFile.open(encrypted, path: "e.yaml", format: .yaml, identities: identities).plaintext()
        #expect(String(decoding: plain, as: UTF8.self) == "rocket: \"go \\U0001F680\"\n")
    }

    /// A temp directory with the fixture (and `.sops.yaml`), the real sops, and our workspace.
    struct Run {
        let directory: TemporaryDirectory
        let testCase: Case
        let workspace: SopsWorkspace
        var keyFlags: [String] { testCase.ruleLine == nil ? testCase.flags + ["--age", SopsFixtureInteropTests.alice] : [] }

        init(_ testCase: Case) throws {
            self.testCase = testCase
            directory = try TemporaryDirectory(prefix: "sops-fixture")
            let fixture = TestPaths.fixtures.appendingPathComponent("sops/\(testCase.fixture)")
            try FileManager.default.copyItem(at: fixture, to: directory.path(testCase.fixture))
            if let ruleLine = testCase.ruleLine {
                try directory.write(".sops.yaml", "creation_rules:\n  - age: \(SopsFixtureInteropTests.alice)\n    \(ruleLine)\n")
            }
            let keyFile = TestPaths.vectors.appendingPathComponent("keys/alice.txt").path
            workspace = SopsWorkspace(keySources: SopsKeySources(environment: ["SOPS_AGE_KEY_FILE": keyFile, "HOME": directory.url.path]),
                                      workingDirectory: directory.url.path)
        }

        func sops(_ arguments: [String]) throws -> ProcessResult {
            try ProcessRunner.run(tool: "sops", arguments, environment: [
                "HOME": directory.url.path, "SOPS_DISABLE_VERSION_CHECK": "1", "SOPS_AGE_KEY": nil, "XDG_CONFIG_HOME": nil,
                "SOPS_AGE_KEY_FILE": TestPaths.vectors.appendingPathComponent("keys/alice.txt").path,
            ], in: directory.url)
        }
    }
}
