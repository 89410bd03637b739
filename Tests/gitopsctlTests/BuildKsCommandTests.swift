import Foundation
import Testing
import TestSupport

/// `gitopsctl build ks NAME`: what Flux would apply, substituted, labelled, SOPS left encrypted.
@Suite(.enabled(if: ProcessRunner.has(tool: "kubectl")))
struct BuildKsCommandTests {
    static let platform = TestPaths.examples.appendingPathComponent("platform")

    func documents(_ text: String) throws -> [[String: Any]] {
        // Parse with PyYAML-free means: our own parser is under test elsewhere; JSON via python keeps this independent.
        let result = try ProcessRunner.run(tool: "python3", ["-c", """
            import sys, yaml, json
            print(json.dumps([d for d in yaml.safe_load_all(sys.stdin) if d is not None]))
            """], stdin: Data(text.utf8))
        return try #require(try JSONSerialization.jsonObject(with: result.stdout) as? [[String: Any]])
    }

    @Test func substitutesFromTheRepositoryAndLabelsEveryObject() throws {
        let result = try ProcessRunner.gitopsctl(["build", "ks", "infra-controllers"], in: Self.platform)
        #expect(result.status == 0, "\(result.stderrText)")
        #expect(!result.stdoutText.contains("${CLUSTER_NAME}"))
        #expect(result.stderrText.contains("⚠️ clusters/production/cluster-secrets.sops.yaml:3:1: Kustomization/flux-system/infra-controllers: variables from SOPS-encrypted Secret/cluster-secrets cannot be resolved"))
        for object in try documents(result.stdoutText) {
            let labels = (object["metadata"] as? [String: Any])?["labels"] as? [String: Any]
            #expect(labels?["kustomize.toolkit.fluxcd.io/name"] as? String == "infra-controllers")
            #expect(labels?["kustomize.toolkit.fluxcd.io/namespace"] as? String == "flux-system")
        }
    }

    @Test func sopsSecretsStayEncrypted() throws {
        let result = try ProcessRunner.gitopsctl(["build", "ks", "infra-configs"], in: Self.platform)
        let secret = try #require(try documents(result.stdoutText).first { $0["kind"] as? String == "Secret" })
        #expect(secret["sops"] != nil)
        let value = (secret["stringData"] as? [String: Any])?["api-token"] as? String
        #expect(value?.hasPrefix("ENC[AES256_GCM,") == true)
    }

    @Test func strictSubstituteFailsOnAVariableWithoutValue() throws {
        let repo = TestPaths.fixtures.appendingPathComponent("flux/variable-without-value").path
        let lenient = try ProcessRunner.gitopsctl(["build", "ks", "apps", "--repo", repo])
        #expect(lenient.status == 0)
        #expect(lenient.stdoutText.contains("zone: a"))
        let strict = try ProcessRunner.gitopsctl(["build", "ks", "apps", "--repo", repo, "--strict-substitute"])
        #expect(strict.status == 1)
        #expect(strict.stderrText.contains("variable not set (strict mode): \"REGION\""))
    }
}
