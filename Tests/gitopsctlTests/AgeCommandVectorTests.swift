import Foundation
import Testing
import TestSupport

/// Black-box: the shared age vectors, the post-quantum CCTV keys and the terminal passphrase
/// prompt, through the built binary as a user runs it.
@Suite struct AgeCommandVectorTests {

    /// A `kind: age` entry of shared/vectors/manifest.json.
    struct Vector: CustomStringConvertible, Sendable {
        let name, encrypted, plaintext: String
        let identities: [String]
        let passphrase: String?
        var description: String { name }
    }

    static let vectors: [Vector] = {
        let url = TestPaths.vectors.appendingPathComponent("manifest.json")
        guard let data = try? Data(contentsOf: url),
              let entries = try? JSONSerialization.jsonObject(with: data) as? [[String: Any]] else { return [] }
        return entries.filter { $0["kind"] as? String == "age" }.compactMap { entry in
            guard let name = entry["name"] as? String, let encrypted = entry["encrypted"] as? String,
                  let plaintext = entry["plaintext"] as? String else { return nil }
            let identities = (entry["identities"] as? [String] ?? []) + (entry["ssh_identities"] as? [String] ?? [])
            return Vector(name: name, encrypted: encrypted, plaintext: plaintext, identities: identities,
                          passphrase: (entry["passphrases"] as? [String])?.first)
        }
    }()

    static func vector(_ relative: String) -> URL { TestPaths.vectors.appendingPathComponent(relative) }

    @Test func everyAgeVectorIsListed() {
        #expect(Self.vectors.count == 22)
    }

    @Test(arguments: vectors)
    func vectorDecryptsThroughTheBinary(_ v: Vector) throws {
        let dir = try TemporaryDirectory()
        let output = dir.path("plain")
        var args = ["age", "decrypt", "-o", output.path]
        args += v.identities.flatMap { ["-i", Self.vector($0).path] }
        if v.passphrase != nil { args.append("-p") }
        let result = try ProcessRunner.gitopsctl(args + [Self.vector(v.encrypted).path],
                                                 environment: ["GITOPSCTL_AGE_PASSPHRASE": v.passphrase])
        #expect(result.status == 0, "\(result.stderrText)")
        #expect(try Data(contentsOf: output) == Data(contentsOf: Self.vector(v.plaintext)))
    }

    /// The hybrid (ML-KEM-768 + X25519) identities of the CCTV vectors.
    static let hybridVectors: [String] =
        ((try? FileManager.default.contentsOfDirectory(atPath: vector("age-cctv").path)) ?? [])
            .filter { $0.contains("hybrid") }.sorted()

    @Test(arguments: hybridVectors)
    func postQuantumIdentityIsRefusedCleanly(_ name: String) throws {
        let text = String(decoding: try Data(contentsOf: Self.vector("age-cctv/\(name)")), as: UTF8.self)
        let keys = text.split(separator: "\n").prefix { !$0.isEmpty }
            .filter { $0.hasPrefix("identity: AGE-SECRET-KEY-PQ-") }
            .map { String($0.dropFirst("identity: ".count)) }
        #expect(!keys.isEmpty)
        let dir = try TemporaryDirectory()
        let keyFile = try dir.write("pq.txt", keys.joined(separator: "\n") + "\n")
        let output = dir.path("plain")
        let result = try ProcessRunner.gitopsctl(["age", "decrypt", "-i", keyFile.path, "-o", output.path,
                                                  Self.vector("age/x25519.age").path])
        #expect(result.status == 1)
        #expect(result.stderrText.contains("\(keyFile.path):1") && result.stderrText.contains("post-quantum")
                && result.stderrText.contains("not support"), "\(result.stderrText)")
        #expect(!result.stderrText.contains("AGE-SECRET-KEY"))
        #expect(!FileManager.default.fileExists(atPath: output.path))
    }

    @Test func promptedPassphraseOursToAge() throws {
        let pty = TestPaths.fixtures.appendingPathComponent("age/pty_passphrase.py").path
        let dir = try TemporaryDirectory()
        let input = try dir.write("p.txt", "typed at the prompt\n")
        let encrypted = dir.path("p.age"), output = dir.path("p.out")
        // Our prompt (asked twice when encrypting, as age does), answered on a pty.
        let enc = try ProcessRunner.run(tool: "python3", [pty, "correct horse", TestPaths.binary.path,
                                                          "age", "encrypt", "-p", "-o", encrypted.path, input.path],
                                        environment: ["GITOPSCTL_AGE_PASSPHRASE": nil])
        #expect(enc.status == 0, "\(enc.stderrText)")
        #expect(enc.stderrText.contains("Enter passphrase") && enc.stderrText.contains("Confirm passphrase"))
        #expect(!enc.stderrText.contains("correct horse"), "the passphrase was echoed")
        let header = String(decoding: try Data(contentsOf: encrypted).prefix(60), as: UTF8.self)
        #expect(header.hasPrefix("age-encryption.org/v1\n-> scrypt ") && header.contains(" 18\n"))
        let dec = try ProcessRunner.run(tool: "python3", [pty, "correct horse", "age", "-d", "-o", output.path, encrypted.path])
        #expect(dec.status == 0, "\(dec.stderrText)")
        #expect(try String(contentsOf: output, encoding: .utf8) == "typed at the prompt\n")
        // A wrong passphrase is an incorrect identity, as in age.
        let wrong = try ProcessRunner.gitopsctl(["age", "decrypt", "-p", encrypted.path],
                                                environment: ["GITOPSCTL_AGE_PASSPHRASE": "wrong horse"])
        #expect(wrong.status == 1 && wrong.stderrText.contains("no identity matched") && wrong.stdout.isEmpty)
    }

    @Test func passphraseWithoutTerminalOrVariableIsExplained() throws {
        // setsid: no controlling terminal, as in CI.
        let result = try ProcessRunner.run(tool: "setsid", ["-w", TestPaths.binary.path, "age", "encrypt", "-p"],
                                           stdin: Data("x".utf8), environment: ["GITOPSCTL_AGE_PASSPHRASE": nil])
        #expect(result.status == 1 && result.stdout.isEmpty)
        #expect(result.stderrText.contains("no terminal") && result.stderrText.contains("GITOPSCTL_AGE_PASSPHRASE"),
                "\(result.stderrText)")
    }

    @Test func keygenRecipientsFromStandardInputAndSeveralKeys() throws {
        let dir = try TemporaryDirectory()
        let one = dir.path("one.txt"), two = dir.path("two.txt")
        #expect(try ProcessRunner.gitopsctl(["keygen", "-o", one.path]).status == 0)
        #expect(try ProcessRunner.run(tool: "age-keygen", ["-o", two.path]).status == 0)
        let both = try Data(contentsOf: one) + Data(contentsOf: two)
        let combined = dir.path("both.txt")
        try both.write(to: combined)
        let ours = try ProcessRunner.gitopsctl(["keygen", "-y"], stdin: both)
        let theirs = try ProcessRunner.run(tool: "age-keygen", ["-y", combined.path])
        #expect(ours.status == 0 && theirs.status == 0)
        #expect(ours.stdoutText == theirs.stdoutText && ours.stdoutText.split(separator: "\n").count == 2)
        let bad = try dir.write("bad.txt", "# comment\nAGE-SECRET-KEY-1NOTAKEY\n")
        let refused = try ProcessRunner.gitopsctl(["keygen", "-y", bad.path])
        #expect(refused.status == 1 && refused.stderrText.contains("\(bad.path):2"), "\(refused.stderrText)")
        #expect(!refused.stderrText.contains("NOTAKEY"))
    }
    @Test func encryptToTheRecipientsOfAnIdentityFile() throws {
        let dir = try TemporaryDirectory()
        let key = dir.path("key.txt")
        #expect(try ProcessRunner.run(tool: "age-keygen", ["-o", key.path]).status == 0)
        let enc = try ProcessRunner.gitopsctl(["age", "encrypt", "-i", key.path, "-a"], stdin: Data("via -i\n".utf8))
        #expect(enc.status == 0 && enc.stdoutText.hasPrefix("-----BEGIN AGE ENCRYPTED FILE-----\n"), "\(enc.stderrText)")
        let dec = try ProcessRunner.run(tool: "age", ["-d", "-i", key.path], stdin: enc.stdout)
        #expect(dec.status == 0 && dec.stdoutText == "via -i\n", "\(dec.stderrText)")
    }

    /// Damage to a real armored file from age 1.1.1 (multi-recipient-armored.age: BEGIN, eight
    /// 64-column lines, one short line, END) and the one-line error naming the line.
    static let armorDamage: [(name: String, expected: String?)] = [
        ("crlf", nil), ("joined", "line 2: column limit exceeded"), ("noEnd", "line 11: unexpected end of armored input"),
        ("garbage", "line 11: trailing data after the END line"), ("emptyLine", "line 4: empty line in armored data"),
        ("badBase64", "line 3: invalid base64 data line"), ("shortMiddle", "line 4: invalid closing line"),
        ("badBegin", "line 1: invalid first line"),
    ]

    @Test(arguments: armorDamage)
    func damagedArmorNamesTheLine(_ damage: (name: String, expected: String?)) throws {
        var lines = String(decoding: try Data(contentsOf: Self.vector("age/multi-recipient-armored.age")), as: UTF8.self)
            .split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        #expect(lines.count == 12 && lines[11].isEmpty)
        switch damage.name {
        case "crlf": lines = lines.dropLast().map { $0 + "\r" } + [""]
        case "joined": lines[1] += lines.remove(at: 2)
        case "noEnd": lines.remove(at: 10)
        case "garbage": lines[11] = "garbage\n"
        case "emptyLine": lines.insert("", at: 3)
        case "badBase64": lines[2] = String(lines[2].dropFirst()) + "*"
        case "shortMiddle": lines[2].removeLast(4)
        case "badBegin": lines[0] += " "
        default: Issue.record("unknown damage")
        }
        let dir = try TemporaryDirectory()
        let input = try dir.write("damaged.age", lines.joined(separator: "\n"))
        let output = dir.path("plain")
        let result = try ProcessRunner.gitopsctl(["age", "decrypt", "-i", Self.vector("keys/bob.txt").path,
                                                  "-o", output.path, input.path])
        guard let expected = damage.expected else {
            #expect(result.status == 0, "\(result.stderrText)")
            #expect(try Data(contentsOf: output) == Data(contentsOf: Self.vector("age/hello.txt")))
            return
        }
        #expect(result.status == 1)
        #expect(result.stderrText.hasPrefix("✗ \(input.path): armor: \(expected)\n"), "\(result.stderrText)")
        #expect(!FileManager.default.fileExists(atPath: output.path))
    }
}
