import Foundation
import Testing
import TestSupport

/// completions/ and man/ are generated from the command declarations and checked in; these
/// tests regenerate them and fail when the checked-in bytes are stale.
@Suite struct GeneratedFilesTests {
    static let scripts = [("bash", "completions/gitopsctl.bash"), ("zsh", "completions/_gitopsctl"),
                          ("fish", "completions/gitopsctl.fish")]

    @Test(arguments: scripts)
    func completionScriptIsCurrent(_ shell: String, _ file: String) throws {
        let generated = try ProcessRunner.gitopsctl(["completion", shell])
        #expect(generated.status == 0)
        let checkedIn = try Data(contentsOf: TestPaths.repoRoot.appendingPathComponent(file))
        #expect(generated.stdout == checkedIn, "\(file) is stale: run `make generate` and commit it")
    }

    @Test func manPagesAreCurrent() throws {
        let dir = try TemporaryDirectory()
        let result = try ProcessRunner.gitopsctl(["man", "--output", dir.url.path])
        #expect(result.status == 0, "\(result.stderrText)")
        let fresh = try Set(FileManager.default.contentsOfDirectory(atPath: dir.url.path))
        let manDir = TestPaths.repoRoot.appendingPathComponent("man")
        let checkedIn = try Set(FileManager.default.contentsOfDirectory(atPath: manDir.path))
        #expect(fresh == checkedIn, "man/ is stale: run `make generate` and commit it")
        #expect(fresh.contains("gitopsctl.1") && fresh.contains("gitopsctl-reconcile-kustomization.1"))
        for name in fresh.sorted() {
            let expected = try Data(contentsOf: dir.path(name))
            let actual = try? Data(contentsOf: manDir.appendingPathComponent(name))
            #expect(actual == expected, "man/\(name) is stale: run `make generate` and commit it")
        }
    }

    /// `mandoc -T lint` (warnings and style included) reports nothing on any checked-in page.
    @Test func manPagesPassMandocLint() throws {
        let manDir = TestPaths.repoRoot.appendingPathComponent("man")
        let pages = try FileManager.default.contentsOfDirectory(atPath: manDir.path).filter { $0.hasSuffix(".1") }.sorted()
        #expect(pages.count > 30)
        let result = try ProcessRunner.run(tool: "mandoc", ["-T", "lint", "-W", "style"] + pages, in: manDir)
        #expect(result.stdoutText + result.stderrText == "")
        #expect(result.status == 0)
    }

    @Test func manPrintsOnePageToStdout() throws {
        let result = try ProcessRunner.gitopsctl(["man", "reconcile", "ks"])
        #expect(result.status == 0)
        let checkedIn = try Data(contentsOf: TestPaths.repoRoot.appendingPathComponent("man/gitopsctl-reconcile-kustomization.1"))
        #expect(result.stdout == checkedIn)
    }
}
