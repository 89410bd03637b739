import Foundation
import Testing
import TestSupport

/// `gitopsctl build DIR` as a user runs it: the same bytes as `kubectl kustomize DIR` on
/// stdout, errors on stderr with exit code 1.
@Suite struct BuildDirectoryTests {
    static let fixtures = TestPaths.fixtures.appendingPathComponent("kustomize")

    @Test(arguments: ["generator-suffix-patch", "component-prefix", "examples"])
    func printsWhatKubectlPrints(_ name: String) throws {
        try #require(ProcessRunner.has(tool: "kubectl"), "kubectl is required for the kustomize interop tests")
        let dir = name == "examples"
            ? TestPaths.examples.appendingPathComponent("platform/tenants").path
            : Self.fixtures.appendingPathComponent(name).path
        let ours = try ProcessRunner.gitopsctl(["build", dir])
        let theirs = try ProcessRunner.run(tool: "kubectl", ["kustomize", dir])
        #expect(ours.status == 0, "\(ours.stderrText)")
        #expect(ours.stdoutText == theirs.stdoutText)
        #expect(ours.stderrText.isEmpty)
    }

    @Test func unknownFieldFailsWithKustomizeWording() throws {
        let dir = Self.fixtures.appendingPathComponent("errors/unknown-field").path
        let result = try ProcessRunner.gitopsctl(["build", dir])
        #expect(result.status == 1)
        #expect(result.stdoutText.isEmpty)
        #expect(result.stderrText.contains("invalid Kustomization: json: unknown field \"foo\""))
    }

    /// kubectl refuses a path that is not a directory; so must we, instead of printing nothing.
    @Test(arguments: ["/nonexistent-gitopsctl-dir", "/etc/hostname"])
    func pathThatIsNotADirectoryFails(_ path: String) throws {
        let result = try ProcessRunner.gitopsctl(["build", path])
        #expect(result.status == 1)
        #expect(result.stdoutText.isEmpty)
        #expect(result.stderrText == "✗ must build at directory: not a valid directory: \(path)\n")
        let kubectl = try ProcessRunner.run(tool: "kubectl", ["kustomize", path])
        #expect(kubectl.status != 0)
    }

    @Test func missingDirectoryArgumentIsAUsageError() throws {
        let result = try ProcessRunner.gitopsctl(["build"])
        #expect(result.status == 2)
    }
}
