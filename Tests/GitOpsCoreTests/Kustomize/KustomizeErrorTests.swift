import Foundation
import Testing
import TestSupport
@testable import GitOpsCore

/// Bad inputs fail with kustomize's wording and name the file, object or chain involved.
@Suite struct KustomizeErrorTests {
    static let errors = TestPaths.fixtures.appendingPathComponent("kustomize/errors")

    struct Case: Sendable, CustomStringConvertible {
        var directory: String
        var expected: [String]
        var description: String { directory }
    }

    static let cases: [Case] = [
        Case(directory: "unknown-field", expected: ["kustomization.yaml: invalid Kustomization: json: unknown field \"foo\""]),
        Case(directory: "missing-file", expected: ["missing.yaml", "no such file or directory"]),
        Case(directory: "cycle/a", expected: ["cycle detected: ", "cycle/a -> ", "cycle/b -> ", "cycle/a"]),
        Case(directory: "duplicate", expected: ["may not add resource with an already registered id: ConfigMap.v1.[noGrp]/same.[noNs]"]),
        Case(directory: "remote", expected: ["'https://github.com/example/repo//deploy?ref=v1.0.0' is a remote base, not built offline"]),
        Case(directory: "outside-root/inner", expected: ["security; file '", "outside-root/outside.yaml' is not in or below '"]),
        Case(directory: "patch-target", expected: ["no resource matches strategic merge patch \"ConfigMap/nope\""]),
        Case(directory: "not-yaml", expected: ["not-yaml/bad.yaml:6:4: invalid YAML"]),
        Case(directory: "component-kind", expected: ["expected kind 'Component' for path '", "component-kind/c' but got 'Kustomization'"]),
        Case(directory: "bad-json-patch", expected: ["cannot apply patch to ConfigMap/cm: path /data/missing does not exist"]),
        Case(directory: "patch-file-json", expected: ["patch-file-json/ops.yaml: cannot apply patch to ConfigMap/cm: "]),
        Case(directory: "patch-file-smp", expected: ["patch-file-smp/smp.yaml: no resource matches strategic merge patch \"ConfigMap/not-there\""]),
        Case(directory: "replicas-kind", expected: ["replicas-kind/kustomization.yaml: ", "resource with name thing does not match a config"]),
        Case(directory: "unknown-nested-field", expected: ["kustomization.yaml: invalid Kustomization: json: unknown field \"newTagg\""]),
    ]

    @Test(arguments: cases)
    func badInputFailsWithUsefulMessage(_ testCase: Case) throws {
        let dir = Self.errors.appendingPathComponent(testCase.directory).path
        do {
            let build = try KustomizeBuilder(missingKustomization: .fail).build(dir)
            Issue.record("expected an error, got \(build.objects.count) objects")
        } catch let error as UserFacingError {
            for part in testCase.expected {
                #expect(error.description.contains(part), "\(error.description) lacks \(part)")
            }
        }
    }

    @Test func kubectlRejectsTheSameInputs() throws {
        try #require(ProcessRunner.has(tool: "kubectl"), "kubectl is required for the kustomize interop tests")
        for testCase in Self.cases where testCase.directory != "remote" {
            let dir = Self.errors.appendingPathComponent(testCase.directory).path
            let result = try ProcessRunner.run(tool: "kubectl", ["kustomize", dir])
            #expect(result.status != 0, "kubectl accepted \(testCase.directory)")
        }
    }

    /// Every spelling of a remote base kustomize accepts is reported, never fetched: the
    /// build fails at once with the entry named.
    @Test(arguments: ["https://github.com/a/b//c?ref=v1", "github.com/a/b/c?ref=v1", "git@github.com:a/b.git//c",
                      "ssh://git@github.com/a/b.git", "https://example.com/x.yaml"])
    func remoteResourceIsReportedNotFetched(_ entry: String) throws {
        let dir = try TemporaryDirectory(prefix: "remote")
        try "resources:\n- \(entry)\n".write(to: dir.path("kustomization.yaml"), atomically: true, encoding: .utf8)
        #expect {
            try KustomizeBuilder().build(dir.url.path)
        } throws: { error in
            (error as? KustomizeError)?.description.hasSuffix("'\(entry)' is a remote base, not built offline") == true
        }
    }

    @Test func missingKustomizationFailsWhenNotGenerating() throws {
        let dir = try TemporaryDirectory(prefix: "no-kustomization")
        #expect(throws: KustomizeError.notAKustomization(directory: dir.url.standardizedFileURL.path)) {
            try KustomizeBuilder(missingKustomization: .fail).build(dir.url.path)
        }
    }

    @Test func directoryOutsideTheRootIsRefused() throws {
        let dir = Self.errors.appendingPathComponent("outside-root/inner").path
        let root = Self.errors.appendingPathComponent("outside-root/inner").path
        let parent = try TemporaryDirectory(prefix: "root")
        try FileManager.default.createDirectory(at: parent.path("app"), withIntermediateDirectories: true)
        try "resources:\n- \(Self.errors.appendingPathComponent("duplicate").path)\n"
            .write(to: parent.path("app/kustomization.yaml"), atomically: true, encoding: .utf8)
        #expect(throws: KustomizeError.self) {
            try KustomizeBuilder(root: parent.url.path).build(parent.path("app").path)
        }
        _ = (dir, root)
    }
}
