import Foundation
import Testing
import TestSupport

/// `gitopsctl build ks NAME`: what Flux would apply, substituted, labelled, SOPS left encrypted.
@Suite(.enabled(if: ProcessRunner.has(tool: "python3")))
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
        let home = try TemporaryDirectory()
        let result = try ProcessRunner.gitopsctl(["build", "ks", "infra-controllers"],
                                                 environment: ["SOPS_AGE_KEY_FILE": nil, "SOPS_AGE_KEY": nil,
                                                               "HOME": home.url.path, "XDG_CONFIG_HOME": nil],
                                                 in: Self.platform)
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

    static let demoKey = TestPaths.examples.appendingPathComponent("demo-age-key.txt").path

    @Test func decryptWithTheAgeIdentityGivesPlainSecretsAndResolvesEncryptedVariables() throws {
        let environment: [String: String?] = ["SOPS_AGE_KEY_FILE": Self.demoKey, "SOPS_AGE_KEY": nil]
        let result = try ProcessRunner.gitopsctl(["build", "ks", "infra-configs", "--decrypt"], environment: environment,
                                                 in: Self.platform)
        #expect(result.status == 0, "\(result.stderrText)")
        #expect(result.stderrText.isEmpty)
        let secret = try #require(try documents(result.stdoutText).first { $0["kind"] as? String == "Secret" })
        #expect(secret["sops"] == nil)
        let token = (secret["stringData"] as? [String: Any])?["api-token"] as? String
        // The same value the real sops decrypts from the file.
        let sops = try ProcessRunner.run(tool: "sops", ["decrypt", "--extract", "[\"stringData\"][\"api-token\"]",
                                                        "infrastructure/configs/secrets/cloudflare-api-token.sops.yaml"],
                                         environment: environment, in: Self.platform)
        if sops.status == 0 { #expect(token == sops.stdoutText) }
        #expect(token?.isEmpty == false && token?.hasPrefix("ENC[") == false)
        #expect(!result.stdoutText.contains("${CLUSTER_DOMAIN}"))
    }

    @Test func decryptWithoutAnIdentityFails() throws {
        let home = try TemporaryDirectory()
        let result = try ProcessRunner.gitopsctl(["build", "ks", "infra-configs", "--decrypt"],
                                                 environment: ["SOPS_AGE_KEY_FILE": nil, "SOPS_AGE_KEY": nil,
                                                               "HOME": home.url.path, "XDG_CONFIG_HOME": nil],
                                                 in: Self.platform)
        #expect(result.status == 1)
        #expect(result.stderrText.contains("no age identity found"))
        #expect(result.stdout.isEmpty)
    }
}
