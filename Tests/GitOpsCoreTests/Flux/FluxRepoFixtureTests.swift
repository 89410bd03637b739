import Foundation
import Testing
import TestSupport
@testable import GitOpsCore

/// One fixture repository per problem `validate` reports (Tests/Fixtures/flux/<name>): each gives
/// exactly its diagnostic, with the file and `line:col`.
@Suite
struct FluxRepoFixtureTests {
    static func load(_ name: String, strict: Bool = true) throws -> FluxRepo {
        let root = TestPaths.fixtures.appendingPathComponent("flux/\(name)").path
        return try FluxRepo.load(root: root, options: .init(builder: KustomizeManifestBuilder(), strictSubstitute: strict))
    }

    static func problems(_ name: String) throws -> [String] {
        ValidateRepository(repo: try load(name)).problems().map(\.description)
    }

    @Test(arguments: [
        ("cycle", "clusters/test/apps.yaml:2:1: dependency cycle: apps → infra → apps"),
        ("missing-dependson",
         "clusters/test/apps.yaml:10:7: Kustomization/flux-system/apps: dependsOn Kustomization/flux-system/database which is not in the repository"),
        ("missing-sourceref",
         "clusters/test/apps.yaml:10:5: Kustomization/flux-system/apps: sourceRef GitRepository/flux-system/apps-repo is not in the repository"),
        ("duplicate-object",
         "apps/apps/configmap.yaml:1:1: ConfigMap/default/apps is applied by both Kustomization/flux-system/apps and Kustomization/flux-system/apps-copy"),
        ("unencrypted-sops",
         "apps/apps/secrets/token.yaml:1:1: not encrypted (no sops metadata); .sops.yaml creation rule 1 (path_regex secrets/.*\\.ya?ml$) covers this file"),
        ("malformed-sops",
         "apps/apps/secrets/token.sops.yaml:12:5: malformed SOPS metadata: sops.mac is missing or not an ENC[...] value; .sops.yaml creation rule 1 (path_regex secrets/.*\\.ya?ml$) covers this file"),
        ("variable-without-value",
         "apps/apps/configmap.yaml:1:1: Kustomization/flux-system/apps: post build failed for '/v1, Kind=ConfigMap/apps': envsubst error: variable substitution failed: variable not set (strict mode): \"REGION\""),
        ("yaml-syntax-error",
         "docs/example.yaml:6:1: invalid YAML: did not find expected ',' or ']' while parsing a flow sequence"),
        ("path-not-found", "clusters/test/apps.yaml:12:9: Kustomization/flux-system/apps: kustomization path not found: ./apps/missing"),
        ("path-outside",
         "clusters/test/apps.yaml:12:9: Kustomization/flux-system/apps: spec.path ../../outside is outside the repository; refusing to read it"),
        ("wrong-apiversion",
         "clusters/test/apps.yaml:2:13: Kustomization/flux-system/apps: apiVersion: unsupported apiVersion \"kustomize.toolkit.fluxcd.io/v1beta1\", expected kustomize.toolkit.fluxcd.io/v1"),
        ("missing-field", "clusters/test/apps.yaml:8:3: Kustomization/flux-system/apps: spec.prune: required field is missing"),
    ])
    func eachFixtureGivesExactlyItsDiagnostic(fixture: String, diagnostic: String) throws {
        #expect(try Self.problems(fixture) == [diagnostic])
    }

    @Test func cleanFixtureAndExamplePlatformValidate() throws {
        #expect(try Self.problems("clean").isEmpty)
        let platform = try FluxRepo.load(root: TestPaths.examples.appendingPathComponent("platform").path,
                                         options: .init(builder: KustomizeManifestBuilder(), strictSubstitute: true))
        let problems = ValidateRepository(repo: platform).problems()
        #expect(problems.filter { $0.severity == .error }.isEmpty, "\(problems)")
        // Without an age identity the SOPS-encrypted cluster-secrets cannot feed substitution.
        #expect(problems.allSatisfy { $0.check == .substituteFrom && $0.severity == .warning })
        #expect(platform.kustomizations.map(\.key.name) == ["flux-system", "infra-configs", "infra-controllers", "infra-crds",
                                                             "tenants", "xonery-apps"])
        #expect(platform.external == [FluxObjectKey(kind: "Kustomization", namespace: "xonery-system", name: "xonery-apps")])
    }

    @Test func substitutionUsesConfigMapsFromTheRepositoryAndLeavesEncryptedVariablesAsWritten() throws {
        let platform = try FluxRepo.load(root: TestPaths.examples.appendingPathComponent("platform").path,
                                         options: .init(builder: KustomizeManifestBuilder()))
        let key = try #require(platform.kustomization(named: "tenants")?.key)
        let text = YAMLEmitter.manifest.emit(try #require(platform.manifests[key]).map { YAMLDocument(root: $0) })
        #expect(!text.contains("${CLUSTER_NAME}"))
        #expect(text.contains("${CLUSTER_DOMAIN}"))
    }

    @Test func homeOpsLayoutTreatsTheClusterOnlyGitRepositoryAsTheCheckout() throws {
        let root = TestPaths.fixtures.appendingPathComponent("repos/home-ops").path
        let repo = try FluxRepo.load(root: root, options: .init(builder: KustomizeManifestBuilder(), strictSubstitute: true))
        // Strict substitution still passes: `$${…}` escapes and `${…}` in comments (kustomize
        // drops comments before the controller substitutes) are not variables.
        let errors = ValidateRepository(repo: repo).problems().filter { $0.severity == .error }
        #expect(errors.isEmpty, "\(errors)")
        #expect(repo.clusterPath == "kubernetes/flux/cluster")
        #expect(repo.rootKey.description == "Kustomization/flux-system/flux-system")
        #expect(repo.kustomization(named: "cluster-apps") != nil)
        #expect(repo.kustomizations.count > 5)
        #expect(repo.external.isEmpty)
    }

    @Test func clusterPathMustBeChosenWhenThereAreSeveral() throws {
        let directory = try TemporaryDirectory()
        for name in ["staging", "production"] {
            try FileManager.default.createDirectory(at: directory.url.appendingPathComponent("clusters/\(name)"),
                                                    withIntermediateDirectories: true)
        }
        #expect(throws: FluxError.clusterPathAmbiguous(candidates: ["clusters/production", "clusters/staging"])) {
            try FluxRepo.load(root: directory.url.path, options: .init(builder: KustomizeManifestBuilder()))
        }
    }

    @Test func symlinkLoopIsAnErrorNotAHang() throws {
        let directory = try TemporaryDirectory()
        let apps = directory.url.appendingPathComponent("apps/loop")
        try FileManager.default.createDirectory(at: apps, withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: apps.appendingPathComponent("again").path,
                                                   withDestinationPath: apps.path)
        let cluster = directory.url.appendingPathComponent("clusters/test")
        try FileManager.default.createDirectory(at: cluster, withIntermediateDirectories: true)
        try """
            apiVersion: kustomize.toolkit.fluxcd.io/v1
            kind: Kustomization
            metadata: {name: loop, namespace: flux-system}
            spec: {interval: 1m, prune: true, path: ./apps, sourceRef: {kind: GitRepository, name: flux-system}}
            """.write(to: cluster.appendingPathComponent("ks.yaml"), atomically: true, encoding: .utf8)
        let repo = try FluxRepo.load(root: directory.url.path, options: .init(builder: KustomizeManifestBuilder()))
        #expect(repo.problems.contains { $0.check == .build && $0.message.contains("too deep") })
    }
}
