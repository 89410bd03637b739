import Foundation
import Testing
import TestSupport

/// `gitopsctl validate` as CI runs it: problems on stdout, one line each, exit 1.
@Suite
struct ValidateCommandTests {
    static func fixture(_ name: String) -> String { TestPaths.fixtures.appendingPathComponent("flux/\(name)").path }

    @Test func examplePlatformIsClean() throws {
        let result = try ProcessRunner.gitopsctl(["validate"], in: TestPaths.examples.appendingPathComponent("platform"))
        #expect(result.status == 0, "\(result.stdoutText)\(result.stderrText)")
        #expect(result.stderrText.contains("✔ 6 Kustomizations, 4 HelmReleases: no problems found"))
    }

    /// `secretGenerator` sources encrypted by sops in their own formats (dotenv, JSON, binary)
    /// satisfy the rule that covers them; validate needs no key to tell.
    @Test func encryptedGeneratorSourcesUnderARuleAreNotReported() throws {
        let result = try ProcessRunner.gitopsctl(["validate", "--repo", Self.fixture("sops-in-builds")],
                                                 environment: ["SOPS_AGE_KEY_FILE": nil, "SOPS_AGE_KEY": nil])
        #expect(result.status == 0, "\(result.stdoutText)\(result.stderrText)")
        #expect(result.stdoutText.isEmpty)
    }

    @Test func aPlaintextGeneratorSourceUnderARuleIsReported() throws {
        let copy = try TemporaryDirectory()
        _ = try ProcessRunner.run(tool: "cp", ["-R", Self.fixture("sops-in-builds") + "/.", copy.url.path])
        try Data("DB_USER=shop\nDB_PASSWORD=plain\n".utf8).write(to: copy.path("apps/secrets/db.env"))
        try Data("not encrypted\n".utf8).write(to: copy.path("apps/secrets/cert.pem"))
        let result = try ProcessRunner.gitopsctl(["validate", "--repo", copy.url.path],
                                                 environment: ["SOPS_AGE_KEY_FILE": nil, "SOPS_AGE_KEY": nil])
        #expect(result.status == 1)
        #expect(result.stdoutText == """
            apps/secrets/cert.pem:1:1: not encrypted (no sops metadata); .sops.yaml creation rule 1 (path_regex apps/secrets/.*) covers this file
            apps/secrets/db.env:1:1: not encrypted (no sops metadata); .sops.yaml creation rule 1 (path_regex apps/secrets/.*) covers this file

            """)
    }

    @Test func problemsPrintOneLineEachAndFail() throws {
        let result = try ProcessRunner.gitopsctl(["validate", "--repo", Self.fixture("missing-dependson")])
        #expect(result.status == 1)
        #expect(result.stdoutText == "clusters/test/apps.yaml:10:7: Kustomization/flux-system/apps: dependsOn "
                + "Kustomization/flux-system/database which is not in the repository\n")
        #expect(result.stderrText == "✗ 1 problem found\n")
    }

    @Test func jsonReportCarriesFileLineAndColumn() throws {
        let result = try ProcessRunner.gitopsctl(["validate", "--repo", Self.fixture("cycle"), "-o", "json"])
        #expect(result.status == 1)
        let report = try #require(try JSONSerialization.jsonObject(with: result.stdout) as? [String: Any])
        #expect(report["valid"] as? Bool == false)
        let problem = try #require((report["problems"] as? [[String: Any]])?.first)
        #expect(problem["check"] as? String == "cycle")
        #expect(problem["file"] as? String == "clusters/test/apps.yaml")
        #expect(problem["line"] as? Int == 2)
        #expect(problem["column"] as? Int == 1)
        #expect(problem["message"] as? String == "dependency cycle: apps → infra → apps")
    }

    @Test func severalClustersNeedPath() throws {
        let directory = try TemporaryDirectory()
        _ = try directory.write("clusters/a/x.yaml", "apiVersion: v1\nkind: Namespace\nmetadata: {name: a}\n")
        _ = try directory.write("clusters/b/x.yaml", "apiVersion: v1\nkind: Namespace\nmetadata: {name: b}\n")
        let result = try ProcessRunner.gitopsctl(["validate", "--repo", directory.url.path])
        #expect(result.status == 1)
        #expect(result.stderrText.contains("clusters/ holds several clusters (clusters/a, clusters/b); pick one with --path"))
        let chosen = try ProcessRunner.gitopsctl(["validate", "--repo", directory.url.path, "--path", "clusters/a"])
        #expect(chosen.status == 0, "\(chosen.stderrText)")
    }
}
