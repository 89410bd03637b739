import Foundation
import Testing
import TestSupport

/// Black-box: the built gitopsctl binary against the real age / age-keygen 1.1.1, both ways.
@Suite struct AgeInteropTests {

    static let sizes = [0, 1, 65536, 65537, 10 << 20]
    static let pty = TestPaths.fixtures.appendingPathComponent("age/pty_passphrase.py").path

    /// Five identities: three made by age-keygen, two by our keygen.
    final class Keys: @unchecked Sendable {
        let dir: TemporaryDirectory
        let files: [URL]
        let recipients: [String]

        init() throws {
            dir = try TemporaryDirectory(prefix: "age-interop-keys")
            var files: [URL] = [], recipients: [String] = []
            for i in 0..<5 {
                let file = dir.path("key\(i).txt")
                let result = i < 3
                    ? try ProcessRunner.run(tool: "age-keygen", ["-o", file.path])
                    : try ProcessRunner.gitopsctl(["keygen", "-o", file.path])
                guard result.status == 0 else { throw Failure("keygen \(i): \(result.stderrText)") }
                let line = String(decoding: try Data(contentsOf: file), as: UTF8.self)
                    .split(separator: "\n").first { $0.hasPrefix("# public key: ") }
                recipients.append(String(line?.dropFirst("# public key: ".count) ?? ""))
                files.append(file)
            }
            self.files = files
            self.recipients = recipients
        }
    }

    struct Failure: Error, CustomStringConvertible { var description: String; init(_ d: String) { description = d } }

    static let keys: Keys? = try? Keys()

    static func plaintext(_ size: Int) -> Data {
        Data((0..<size).map { UInt8(truncatingIfNeeded: $0 &* 7 &+ 3) })
    }

    static let cases: [(size: Int, armored: Bool, recipients: Int)] =
        sizes.flatMap { size in [false, true].flatMap { armored in [1, 5].map { (size, armored, $0) } } }

    @Test func toolsArePresent() throws {
        #expect(ProcessRunner.has(tool: "age") && ProcessRunner.has(tool: "age-keygen"))
        #expect(Self.keys != nil)
    }

    @Test(arguments: cases)
    func oursEncryptsAgeDecrypts(_ c: (size: Int, armored: Bool, recipients: Int)) throws {
        let keys = try #require(Self.keys)
        let dir = try TemporaryDirectory()
        let input = dir.path("in.bin"), encrypted = dir.path("out.age")
        try Self.plaintext(c.size).write(to: input)
        let chosen = Array(keys.recipients.prefix(c.recipients))
        var args = ["age", "encrypt", "-o", encrypted.path] + chosen.flatMap { ["-r", $0] }
        if c.armored { args.append("-a") }
        let enc = try ProcessRunner.gitopsctl(args + [input.path])
        #expect(enc.status == 0, "\(enc.stderrText)")
        let text = try Data(contentsOf: encrypted)
        #expect(text.starts(with: Data((c.armored ? "-----BEGIN AGE ENCRYPTED FILE-----\n" : "age-encryption.org/v1\n").utf8)))
        // Every recipient can decrypt; the last one exercises a key from the other tool.
        for key in [keys.files[0], keys.files[c.recipients - 1]] {
            let dec = try ProcessRunner.run(tool: "age", ["-d", "-i", key.path, encrypted.path])
            #expect(dec.status == 0, "\(dec.stderrText)")
            #expect(dec.stdout == Self.plaintext(c.size))
        }
    }

    @Test(arguments: cases)
    func ageEncryptsOursDecrypts(_ c: (size: Int, armored: Bool, recipients: Int)) throws {
        let keys = try #require(Self.keys)
        let dir = try TemporaryDirectory()
        let input = dir.path("in.bin"), encrypted = dir.path("out.age"), output = dir.path("out.bin")
        try Self.plaintext(c.size).write(to: input)
        var args = ["-o", encrypted.path] + keys.recipients.prefix(c.recipients).flatMap { ["-r", $0] }
        if c.armored { args.append("-a") }
        let enc = try ProcessRunner.run(tool: "age", args + [input.path])
        #expect(enc.status == 0, "\(enc.stderrText)")
        let key = keys.files[c.recipients - 1]
        let toFile = try ProcessRunner.gitopsctl(["age", "decrypt", "-i", key.path, "-o", output.path, encrypted.path])
        #expect(toFile.status == 0, "\(toFile.stderrText)")
        #expect(try Data(contentsOf: output) == Self.plaintext(c.size))
        let toStdout = try ProcessRunner.gitopsctl(["age", "decrypt", "-i", key.path], stdin: try Data(contentsOf: encrypted))
        #expect(toStdout.status == 0 && toStdout.stdout == Self.plaintext(c.size))
    }

    @Test func identityFileWithAllKeysDecrypts() throws {
        let keys = try #require(Self.keys)
        let dir = try TemporaryDirectory()
        let all = try keys.files.map { String(decoding: try Data(contentsOf: $0), as: UTF8.self) }.joined(separator: "\n")
        let keyFile = try dir.write("all.txt", all)
        let enc = try ProcessRunner.run(tool: "age", ["-r", keys.recipients[4]], stdin: Data("x".utf8))
        let dec = try ProcessRunner.gitopsctl(["age", "decrypt", "-i", keyFile.path], stdin: enc.stdout)
        #expect(dec.status == 0 && dec.stdoutText == "x")
    }

    @Test func keygenMatchesAgeKeygenFormat() throws {
        let dir = try TemporaryDirectory()
        let file = dir.path("k.txt")
        let result = try ProcessRunner.gitopsctl(["keygen", "-o", file.path])
        #expect(result.status == 0)
        let attributes = try FileManager.default.attributesOfItem(atPath: file.path)
        #expect((attributes[.posixPermissions] as? Int) == 0o600)
        let lines = String(decoding: try Data(contentsOf: file), as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines.count == 4 && lines[3].isEmpty)
        #expect(lines[0].wholeMatch(of: /# created: \d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(Z|[+-]\d\d:\d\d)/) != nil)
        #expect(lines[1].hasPrefix("# public key: age1") && lines[2].hasPrefix("AGE-SECRET-KEY-1"))
        #expect(result.stderrText == "Public key: \(lines[1].dropFirst("# public key: ".count))\n")
        let theirs = try ProcessRunner.run(tool: "age-keygen", ["-y", file.path])
        let ours = try ProcessRunner.gitopsctl(["keygen", "-y", file.path])
        #expect(theirs.status == 0 && ours.stdout == theirs.stdout)
        // Never overwrites.
        let again = try ProcessRunner.gitopsctl(["keygen", "-o", file.path])
        #expect(again.status == 1 && again.stderrText.contains("already exists"))
        #expect(try Data(contentsOf: file) == Data(lines.joined(separator: "\n").utf8))
    }

    @Test func keygenDateUsesTheLocalOffset() throws {
        let result = try ProcessRunner.gitopsctl(["keygen"], environment: ["TZ": "Asia/Kolkata"])
        #expect(result.stdoutText.hasPrefix("# created: ") && result.stdoutText.contains("+05:30\n"))
    }

    @Test func passphraseOursToAge() throws {
        let dir = try TemporaryDirectory()
        let input = try dir.write("p.txt", "passphrase interop\n")
        let encrypted = dir.path("p.age"), output = dir.path("p.out")
        let enc = try ProcessRunner.gitopsctl(["age", "encrypt", "-p", "-a", "-o", encrypted.path, input.path],
                                              environment: ["GITOPSCTL_AGE_PASSPHRASE": "hunter2 hunter2"])
        #expect(enc.status == 0, "\(enc.stderrText)")
        let dec = try ProcessRunner.run(tool: "python3", [Self.pty, "hunter2 hunter2", "age", "-d", "-o", output.path, encrypted.path])
        #expect(dec.status == 0, "\(dec.stderrText)")
        #expect(try String(contentsOf: output, encoding: .utf8) == "passphrase interop\n")
    }

    @Test func passphraseAgeToOurs() throws {
        let dir = try TemporaryDirectory()
        let input = try dir.write("p.txt", "from age\n")
        let encrypted = dir.path("p.age"), output = dir.path("p.out")
        let enc = try ProcessRunner.run(tool: "python3", [Self.pty, "s3cret words", "age", "-p", "-o", encrypted.path, input.path])
        #expect(enc.status == 0, "\(enc.stderrText)")
        let viaEnv = try ProcessRunner.gitopsctl(["age", "decrypt", "-p", encrypted.path],
                                                 environment: ["GITOPSCTL_AGE_PASSPHRASE": "s3cret words"])
        #expect(viaEnv.status == 0 && viaEnv.stdoutText == "from age\n", "\(viaEnv.stderrText)")
        // The terminal prompt, driven through a pty like age's.
        let viaTerminal = try ProcessRunner.run(tool: "python3", [Self.pty, "s3cret words", TestPaths.binary.path,
                                                                  "age", "decrypt", "-p", "-o", output.path, encrypted.path],
                                                environment: ["GITOPSCTL_AGE_PASSPHRASE": nil])
        #expect(viaTerminal.status == 0, "\(viaTerminal.stderrText)")
        #expect(try String(contentsOf: output, encoding: .utf8) == "from age\n")
        let without = try ProcessRunner.gitopsctl(["age", "decrypt", encrypted.path])
        #expect(without.status == 1 && without.stderrText.contains("encrypted with a passphrase")
                && without.stderrText.contains("-p"))
    }

    @Test func sshEd25519BothWays() throws {
        let dir = try TemporaryDirectory()
        let pub = TestPaths.vectors.appendingPathComponent("keys/ssh_ed25519.pub").path
        let key = TestPaths.vectors.appendingPathComponent("keys/ssh_ed25519").path
        let ours = try ProcessRunner.gitopsctl(["age", "encrypt", "-R", pub], stdin: Data("ssh".utf8))
        let theirs = try ProcessRunner.run(tool: "age", ["-d", "-i", key], stdin: ours.stdout)
        #expect(theirs.status == 0 && theirs.stdoutText == "ssh", "\(theirs.stderrText)")
        let encrypted = dir.path("s.age")
        _ = try ProcessRunner.run(tool: "age", ["-R", pub, "-o", encrypted.path], stdin: Data("back".utf8))
        let back = try ProcessRunner.gitopsctl(["age", "decrypt", "-i", key, encrypted.path])
        #expect(back.status == 0 && back.stdoutText == "back", "\(back.stderrText)")
    }
}

/// Black-box: bad input gives a specific error, exit 1, and never a plaintext file.
@Suite struct AgeCommandErrorTests {

    static let alice = TestPaths.vectors.appendingPathComponent("keys/alice.txt").path
    static let aliceRecipient = "age1dd2x46en7tylu7rwaw7e7pzp84rl7tkj264vf054dxvkzsrggs3s6hg6tv"

    @Test func wrongIdentity() throws {
        let dave = TestPaths.vectors.appendingPathComponent("keys/dave.txt").path
        let file = TestPaths.vectors.appendingPathComponent("age/x25519.age").path
        let result = try ProcessRunner.gitopsctl(["age", "decrypt", "-i", dave, file])
        #expect(result.status == 1)
        #expect(result.stderrText.contains("no identity matched any of the recipients"))
        #expect(result.stdout.isEmpty)
    }

    @Test func passphraseEncryptedIdentityFile() throws {
        let vectors = TestPaths.vectors.appendingPathComponent("age-upstream")
        let result = try ProcessRunner.gitopsctl(["age", "decrypt", "-i", vectors.appendingPathComponent("sops-mock-encrypted-identity.age").path,
                                                  vectors.appendingPathComponent("sops-mock-encrypted-key.age").path],
                                                 environment: ["GITOPSCTL_AGE_PASSPHRASE": "passphrase"])
        #expect(result.status == 0 && result.stdoutText == "data", "\(result.stderrText)")
    }

    @Test func malformedRecipientIsQuoted() throws {
        let result = try ProcessRunner.gitopsctl(["age", "encrypt", "-r", "age1notakey"], stdin: Data("x".utf8))
        #expect(result.status == 1 && result.stderrText.contains("\"age1notakey\""))
    }

    @Test func postQuantumRecipientIsRefused() throws {
        let result = try ProcessRunner.gitopsctl(["age", "encrypt", "-r", "age1pq1" + String(repeating: "q", count: 100)],
                                                 stdin: Data("x".utf8))
        #expect(result.status == 1 && result.stderrText.contains("post-quantum"))
    }

    enum Tamper: String, CaseIterable { case header, mac, stanza, payload, truncated, trailing, armor }

    /// A 200 KB file from age 1.1.1, damaged in one place.
    static func damaged(_ tamper: Tamper) throws -> Data {
        var bytes = Array(try Data(contentsOf: TestPaths.vectors.appendingPathComponent("age/size-200000.age")))
        let text = String(decoding: bytes.prefix(400), as: UTF8.self)
        let macLine = text.range(of: "\n--- ")!.upperBound.utf16Offset(in: text)
        switch tamper {
        case .header: bytes[3] ^= 1                                   // intro line
        case .mac: bytes[macLine + 2] = bytes[macLine + 2] == 65 ? 66 : 65
        case .stanza: bytes[text.range(of: "\n")!.upperBound.utf16Offset(in: text) + 12] ^= 1
        case .payload: bytes[bytes.count - 70_000] ^= 1               // inside the second chunk
        case .truncated: bytes.removeLast(3392 + 16)                  // drop the final chunk
        case .trailing:                                               // after a full final chunk
            bytes = Array(try Data(contentsOf: TestPaths.vectors.appendingPathComponent("age/size-65536.age"))) + [0]
        case .armor: return Data("-----BEGIN AGE ENCRYPTED FILE-----\nYWdl!!\n-----END AGE ENCRYPTED FILE-----\n".utf8)
        }
        return Data(bytes)
    }

    @Test(arguments: Tamper.allCases)
    func tamperedFileLeavesNoOutputFile(_ tamper: Tamper) throws {
        let dir = try TemporaryDirectory()
        let input = dir.path("bad.age"), output = dir.path("plain.bin")
        try Self.damaged(tamper).write(to: input)
        let result = try ProcessRunner.gitopsctl(["age", "decrypt", "-i", Self.alice, "-o", output.path, input.path])
        #expect(result.status == 1)
        let expected: [Tamper: String] = [
            .header: "parsing age header: line 1: unexpected intro line", .mac: "bad header MAC",
            .stanza: "no identity matched", .payload: "payload: failed to decrypt and authenticate payload chunk 2",
            .truncated: "payload: missing final chunk (truncated file)",
            .trailing: "payload: trailing data after end of encrypted file", .armor: "armor: line 2: invalid base64",
        ]
        // One line that names the file, then what is wrong with it.
        #expect(result.stderrText.hasPrefix("✗ \(input.path): \(expected[tamper]!)"), "\(result.stderrText)")
        #expect(!FileManager.default.fileExists(atPath: output.path))
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.url.path) == ["bad.age"])
    }

    @Test func tamperedHeaderWritesNothingToStdout() throws {
        for tamper in [Tamper.header, .mac, .stanza] {
            let result = try ProcessRunner.gitopsctl(["age", "decrypt", "-i", Self.alice], stdin: try Self.damaged(tamper))
            #expect(result.status == 1 && result.stdout.isEmpty)
        }
    }

    @Test func outputFileKeepsItsModeWhenReplaced() throws {
        let dir = try TemporaryDirectory()
        let out = try dir.write("out.age", "old")
        try FileManager.default.setAttributes([.posixPermissions: 0o640], ofItemAtPath: out.path)
        let result = try ProcessRunner.gitopsctl(["age", "encrypt", "-r", Self.aliceRecipient, "-o", out.path], stdin: Data("new".utf8))
        #expect(result.status == 0)
        #expect((try FileManager.default.attributesOfItem(atPath: out.path)[.posixPermissions] as? Int) == 0o640)
        let back = try ProcessRunner.gitopsctl(["age", "decrypt", "-i", Self.alice, out.path])
        #expect(back.stdoutText == "new")
    }

    @Test func passphraseCannotBeMixedWithRecipients() throws {
        let result = try ProcessRunner.gitopsctl(["age", "encrypt", "-p", "-r", Self.aliceRecipient],
                                                 environment: ["GITOPSCTL_AGE_PASSPHRASE": "x"])
        #expect(result.status == 2)
    }
}
