import Foundation
import Testing
import TestSupport
@testable import GitOpsCore

/// Files we encrypt must decrypt with the real sops (and with us) to exactly what sops makes
/// of the same input. Each vector's recipe (`encrypt_command`, `.sops.yaml`) is replayed with
/// gitopsctl instead of sops; `sops decrypt` is the judge.
@Suite struct SopsInteropTests {
    static let recipes = SopsVectorTests.successes.filter { $0.plain_input != nil }

    @Test(arguments: recipes)
    func sopsDecryptsWhatWeEncryptFromTheSameRecipe(vector: SopsManifestVector) throws {
        let directory = try TemporaryDirectory(prefix: "sops-interop")
        let encrypted = try SopsRecipe(vector: vector).encrypt(in: directory)
        let expected = try sopsVectorBytes(try #require(vector.expected_decrypt_output))

        let ours = try SopsFile.open(encrypted.bytes, path: encrypted.name, format: vector.sopsFormat,
                                     identities: try vector.loadIdentities())
        #expect(try ours.plaintext() == expected)

        try Data(encrypted.bytes).write(to: directory.path(encrypted.name))
        let result = try SopsRecipe.sops(["decrypt", encrypted.name], vector: vector, in: directory)
        #expect(result.status == 0, "\(result.stderrText)")
        #expect(result.stdoutText == String(decoding: expected, as: UTF8.self))
    }
}

/// Replays a vector's `encrypt_command` with the library.
struct SopsRecipe {
    let vector: SopsManifestVector

    /// The public key of `keys/<name>.txt` (or the `.pub` line of an ssh key).
    static func recipient(named name: String) throws -> String {
        if name.hasSuffix(".pub") {
            return String(decoding: try sopsVectorBytes("keys/\(name)"), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        }
        let text = String(decoding: try sopsVectorBytes("keys/\(name).txt"), as: UTF8.self)
        guard let line = text.split(separator: "\n").first(where: { $0.hasPrefix("# public key: ") }) else {
            throw SopsError.keys("no public key in keys/\(name).txt")
        }
        return String(line.dropFirst("# public key: ".count))
    }

    func encrypt(in directory: TemporaryDirectory) throws -> (name: String, bytes: [UInt8]) {
        let words = (vector.encrypt_command ?? "").split(separator: " ").map(String.init).dropFirst(2)
        var recipients: [String] = []
        var rules: [String: String] = [:]
        var iterator = words.makeIterator()
        var file = ""
        while let word = iterator.next() {
            switch word {
            case "--age":
                let names = (iterator.next() ?? "").trimmingCharacters(in: CharacterSet(charactersIn: "<>"))
                recipients = try names.split(separator: ",").map { try Self.recipient(named: String($0)) }
            case let flag where flag.hasPrefix("--"):
                rules[String(flag.dropFirst(2)).replacingOccurrences(of: "-", with: "_")] = iterator.next()
            default:
                file = word
            }
        }
        let plain = try sopsVectorBytes(try #require(vector.plain_input))
        try FileManager.default.createDirectory(at: directory.path(file).deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(plain).write(to: directory.path(file))
        let settings: SopsEncryptionSettings
        if let config = vector.config {
            try Data(try sopsVectorBytes(config)).write(to: directory.path(".sops.yaml"))
            let loaded = try SopsConfig(contentsOf: directory.path(".sops.yaml").path)
            settings = try loaded.rule(for: file, workingDirectory: directory.url.path).settings()
        } else {
            settings = try SopsEncryptionSettings(recipients: recipients, cryptRules: rules)
        }
        return (file, try SopsFile.encrypt(plain, path: file, format: vector.sopsFormat, settings: settings))
    }

    /// Runs the real sops with the vector's identities and nothing from the user's setup.
    static func sops(_ arguments: [String], vector: SopsManifestVector, in directory: TemporaryDirectory,
                     extra: [String: String?] = [:]) throws -> ProcessResult {
        let keys = try (vector.identities ?? []).map { String(decoding: try sopsVectorBytes($0), as: UTF8.self) }.joined(separator: "\n")
        var environment: [String: String?] = [
            "HOME": directory.url.path, "XDG_CONFIG_HOME": nil, "SOPS_AGE_KEY_FILE": nil,
            "SOPS_AGE_KEY": keys.isEmpty ? nil : keys, "SOPS_DISABLE_VERSION_CHECK": "1",
            "SOPS_AGE_SSH_PRIVATE_KEY_FILE": vector.ssh_identities?.first.map { TestPaths.vectors.appendingPathComponent($0).path },
        ]
        for (key, value) in extra { environment[key] = value }
        return try ProcessRunner.run(tool: "sops", arguments, environment: environment, in: directory.url)
    }
}
