import Foundation
import Testing
import TestSupport
@testable import GitOpsCore

/// Emitted text for the corpus, checked in under Tests/Fixtures/yaml/golden.
/// `GITOPSCTL_UPDATE_GOLDEN=1 swift test --filter YAMLGoldenTests` (as the README says) rewrites them after a deliberate change.
@Suite struct YAMLGoldenTests {
    static let golden = TestPaths.fixtures.appendingPathComponent("yaml/golden")

    @Test(arguments: YAMLRoundTripTests.corpus)
    func emittedCorpusMatchesGoldenFiles(name: String) throws {
        let stream = try YAMLRoundTripTests.parse(name)
        for (label, emitter) in YAMLRoundTripTests.emitters {
            let text = emitter.emit(stream)
            let url = Self.golden.appendingPathComponent("\(label)/\(name)")
            if ProcessInfo.processInfo.environment["GITOPSCTL_UPDATE_GOLDEN"] == "1" {
                try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
                try Data(text.utf8).write(to: url)
            }
            let expected = try String(contentsOf: url, encoding: .utf8)
            #expect(text == expected, "\(label)/\(name)")
        }
    }
}
