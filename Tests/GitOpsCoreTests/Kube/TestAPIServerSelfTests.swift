import Foundation
import Testing
import TestSupport

/// The test API server checks itself: its Python unittest suite (error shapes, content types,
/// optimistic concurrency, field ownership, finalizers, CRD schemas) must pass before the
/// client tests that rely on it mean anything.
@Suite("test API server self-check")
struct TestAPIServerSelfTests {
    @Test func pythonSuitePasses() throws {
        let dir = TestPaths.repoRoot.appendingPathComponent("Tests/Support/kube-apiserver")
        let result = try ProcessRunner.run(tool: "python3", ["-m", "unittest", "-q", "test_server"],
                                           environment: ["PYTHONDONTWRITEBYTECODE": "1"], in: dir)
        #expect(result.status == 0, "\(result.stderrText)")
        #expect(result.stderrText.contains("OK"))
    }
}
