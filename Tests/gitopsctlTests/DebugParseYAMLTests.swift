import Foundation
import Testing
import TestSupport

/// The hidden `debug parse-yaml` command the yaml-parse benchmark runs.
@Suite struct DebugParseYAMLTests {
    @Test func summarisesEachFile() throws {
        let dir = try TemporaryDirectory()
        let file = try dir.write("stream.yaml", "a: [1, 2]\n---\n# c\nb: {c: d}\n")
        let result = try ProcessRunner.gitopsctl(["debug", "parse-yaml", file.path])
        #expect(result.status == 0)
        #expect(result.stdoutText == "\(file.path): 2 documents, 10 nodes\n")
    }

    @Test func malformedYAMLFailsWithFileLineAndColumn() throws {
        let dir = try TemporaryDirectory()
        let file = try dir.write("bad.yaml", "a: 1\n  b: 2\n")
        let result = try ProcessRunner.gitopsctl(["debug", "parse-yaml", file.path])
        #expect(result.status == 1)
        #expect(result.stderrText.contains("\(file.path):2:4: invalid YAML: mapping values are not allowed in this context"))
    }
}
