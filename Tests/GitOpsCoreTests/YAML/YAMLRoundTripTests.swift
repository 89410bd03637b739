import Foundation
import Testing
import TestSupport
@testable import GitOpsCore

/// The corpus of tricky YAML: every file parses, re-emits to the same data (ours and PyYAML's
/// reading), and emitting is a fixed point.
@Suite struct YAMLRoundTripTests {
    static let corpusDir = TestPaths.fixtures.appendingPathComponent("yaml/corpus")
    static let corpus: [String] = {
        ((try? FileManager.default.contentsOfDirectory(atPath: corpusDir.path)) ?? []).sorted()
    }()
    static let emitters: [(String, YAMLEmitter)] = [("manifest", .manifest), ("sops", .sops)]

    static func parse(_ name: String) throws -> YAMLStream {
        let bytes = try [UInt8](Data(contentsOf: corpusDir.appendingPathComponent(name)))
        return try YAMLParser().parse(bytes, file: name)
    }

    @Test(arguments: corpus)
    func corpusFileRoundTripsThroughBothEmitters(name: String) throws {
        let stream = try Self.parse(name)
        for (label, emitter) in Self.emitters {
            let once = emitter.emit(stream)
            let reparsed = try YAMLParser().parse(once, file: "\(name) (\(label))")
            #expect(reparsed.documents.map(\.root) == stream.documents.compactMap { $0.root == nil ? nil : $0 }.map(\.root)
                    || reparsed.documents.map(\.root) == stream.documents.map(\.root),
                    "\(label): data changed\n\(once)")
            let twice = emitter.emit(reparsed)
            #expect(twice == once, "\(label): emit is not a fixed point")
        }
    }

    @Test(arguments: corpus)
    func pyYAMLReadsTheSameDataBack(name: String) throws {
        let stream = try Self.parse(name)
        let dir = try TemporaryDirectory()
        for (label, emitter) in Self.emitters {
            let out = try dir.write("\(label)-\(name)", emitter.emit(stream))
            let result = try ProcessRunner.run(tool: "python3", [
                TestPaths.fixtures.appendingPathComponent("yaml/scripts/pyyaml_equal.py").path,
                Self.corpusDir.appendingPathComponent(name).path, out.path,
            ])
            #expect(result.stdoutText.hasPrefix("EQUAL"), "\(label) \(name): \(result.stdoutText)\(result.stderrText)")
        }
    }
}
