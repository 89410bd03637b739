import Foundation
import Testing
import TestSupport

/// The sample repositories (`examples/platform`, `Tests/Fixtures/repos/home-ops`) are what
/// users copy and what the Flux, kustomize, SOPS and tenant tests read, so they must be
/// correct by the real tools' standards: kustomize builds them, sops decrypts them, and the
/// Flux and Capsule CRD schemas accept every object.
@Suite struct ExampleRepositoriesTests {
    static let platform = TestPaths.examples.appendingPathComponent("platform")
    static let homeOps = TestPaths.fixtures.appendingPathComponent("repos/home-ops")
    static let demoKey = TestPaths.examples.appendingPathComponent("demo-age-key.txt")
    static let validator = TestPaths.fixtures.appendingPathComponent("repos/validate-schemas.py")
    static let gatewayCRDs = platform.appendingPathComponent("infrastructure/crds/gateway-api")
    static let demoRecipient = "age1qfmp7u393yr8nwtd6dmxtvu0jqmd76fa0dq5fjj8es7addc6cp4sw7wvpw"

    /// Repository-relative paths (`examples/platform/tenants`) of every directory holding a
    /// kustomization.yaml, in both sample repositories.
    static func kustomizationDirectories() -> [String] {
        [platform, homeOps].flatMap { files(under: $0) }
            .filter { $0.lastPathComponent == "kustomization.yaml" }
            .map { relative($0.deletingLastPathComponent()) }
            .sorted()
    }

    /// Every SOPS-encrypted file in both repositories (a top-level `sops:` with a `mac`).
    static func sopsFiles() -> [String] {
        [platform, homeOps].flatMap { files(under: $0) }
            .filter { $0.pathExtension == "yaml" && $0.lastPathComponent != ".sops.yaml" }
            .filter { url in
                let text = (try? String(contentsOf: url, encoding: .utf8)) ?? ""
                return text.contains("\nsops:\n") && text.contains("    mac: ENC[")
            }
            .map(relative)
            .sorted()
    }

    @Test(arguments: kustomizationDirectories())
    func kustomizationDirectoryBuildsWithKubectl(_ directory: String) throws {
        try #require(ProcessRunner.has(tool: "kubectl"))
        let result = try ProcessRunner.run(tool: "kubectl", ["kustomize", directory], in: TestPaths.repoRoot)
        #expect(result.status == 0, "kubectl kustomize \(directory): \(result.stderrText)")
        // A Component is built through the kustomizations that include it; everything else
        // must produce objects.
        let isComponent = try String(contentsOf: TestPaths.repoRoot.appendingPathComponent(directory)
            .appendingPathComponent("kustomization.yaml"), encoding: .utf8).contains("kind: Component")
        if !isComponent { #expect(result.stdoutText.contains("kind: ")) }
    }

    @Test func bothRepositoriesHaveKustomizationsAndSecrets() {
        // Guards the parameterised tests above against silently running on nothing.
        let directories = Self.kustomizationDirectories()
        #expect(directories.filter { $0.hasPrefix("examples/platform/") }.count >= 6)
        #expect(directories.filter { $0.contains("repos/home-ops/") }.count >= 15)
        #expect(Self.sopsFiles().count >= 6)
    }

    @Test(arguments: sopsFiles())
    func sopsFileDecryptsWithTheRealSopsAndTheDemoKey(_ file: String) throws {
        try #require(ProcessRunner.has(tool: "sops"))
        let result = try ProcessRunner.run(
            tool: "sops", ["decrypt", file],
            environment: ["SOPS_AGE_KEY_FILE": Self.demoKey.path, "SOPS_AGE_KEY": nil,
                          "SOPS_AGE_SSH_PRIVATE_KEY_FILE": nil],
            in: TestPaths.repoRoot)
        #expect(result.status == 0, "sops decrypt \(file): \(result.stderrText)")
        #expect(!result.stdoutText.contains("ENC["))
        #expect(!result.stdoutText.contains("\nsops:"))
        #expect(result.stdoutText.contains("kind: Secret"))
        // encrypted_regex ^(data|stringData)$ keeps everything Flux reads before decrypting.
        let encrypted = try String(contentsOf: TestPaths.repoRoot.appendingPathComponent(file), encoding: .utf8)
        #expect(encrypted.contains("kind: Secret\n"))
        #expect(encrypted.contains("    name: "))
        #expect(encrypted.contains("encrypted_regex: ^(data|stringData)$"))
        #expect(encrypted.contains("recipient: \(Self.demoRecipient)"))
    }

    @Test(arguments: [platform, homeOps])
    func everyFileUnderACreationRuleIsEncrypted(_ repository: URL) throws {
        let rules = try creationRulePatterns(in: repository)
        #expect(!rules.isEmpty)
        var covered = 0
        for file in Self.files(under: repository) where file.pathExtension == "yaml" {
            let path = String(file.path.dropFirst(repository.path.count + 1))
            guard rules.contains(where: { $0.firstMatch(in: path, range: NSRange(path.startIndex..., in: path)) != nil })
            else { continue }
            covered += 1
            let text = try String(contentsOf: file, encoding: .utf8)
            #expect(text.contains("\nsops:\n") && text.contains("    mac: ENC["), "\(path) matches a creation rule but is not encrypted")
        }
        #expect(covered >= 3)
    }

    @Test func demoKeyIsMarkedAndIsTheRecipientOfTheRules() throws {
        let text = try String(contentsOf: Self.demoKey, encoding: .utf8)
        #expect(text.hasPrefix("# DEMO ONLY"))
        try #require(ProcessRunner.has(tool: "age-keygen"))
        let result = try ProcessRunner.run(tool: "age-keygen", ["-y", Self.demoKey.path])
        #expect(result.status == 0)
        #expect(result.stdoutText == Self.demoRecipient + "\n")
        for repository in [Self.platform, Self.homeOps] {
            let rules = try String(contentsOf: repository.appendingPathComponent(".sops.yaml"), encoding: .utf8)
            #expect(rules.contains("age: \(Self.demoRecipient)"))
        }
    }

    @Test func bothRepositoriesValidateAgainstTheCRDSchemas() throws {
        try #require(ProcessRunner.has(tool: "kubectl") && ProcessRunner.has(tool: "sops"))
        let result = try runValidator([
            Self.platform.path + ":clusters/production",
            Self.homeOps.path + ":kubernetes/flux/cluster",
        ])
        #expect(result.status == 0, "\(result.stdoutText)\(result.stderrText)")
        #expect(result.stdoutText.isEmpty)
        // Every Flux Kustomization of both repositories was reached from the cluster paths.
        #expect(result.stderrText.contains("home-ops: 18 kustomization directories, 13 Flux Kustomizations"))
        #expect(result.stderrText.contains("platform: 6 kustomization directories, 5 Flux Kustomizations"))
    }

    @Test func schemaValidatorReportsBrokenObjects() throws {
        try #require(ProcessRunner.has(tool: "kubectl"))
        let repo = try TemporaryDirectory()
        try repo.write("apps/kustomization.yaml", "resources:\n- objects.yaml\n")
        try repo.write("apps/objects.yaml", """
            apiVersion: kustomize.toolkit.fluxcd.io/v1
            kind: Kustomization
            metadata: {name: apps, namespace: flux-system}
            spec:
              interval: 10 minutes
              sourceRef: {kind: GitRepository, name: flux-system}
              path: ./apps
              postBuild:
                substitute: {QUOTA: "3"}
            ---
            apiVersion: helm.toolkit.fluxcd.io/v2beta1
            kind: HelmRelease
            metadata: {name: old, namespace: apps}
            spec: {interval: 1m}
            ---
            apiVersion: helm.toolkit.fluxcd.io/v2
            kind: HelmRelease
            metadata: {name: both, namespace: apps}
            spec:
              interval: 1m
              chartRef: {kind: OCIRepository, name: podinfo}
              chart: {spec: {chart: podinfo, sourceRef: {kind: HelmRepository, name: podinfo}}}
            ---
            apiVersion: capsule.clastix.io/v1beta2
            kind: Tenant
            metadata: {name: t}
            spec:
              namespaceOptions:
                quota: ${QUOTA}
              owners: [{kind: Robot, name: r}]
              limitRanges: {items: [{limits: [{type: Container, default: {memory: 8GB}}]}]}
              serviceOptions:
                allowedServices:
                  nodePort: ${UNSET}

            """)
        let result = try runValidator([repo.url.path])
        #expect(result.status == 1)
        let lines = result.stdoutText.split(separator: "\n").map(String.init)
        let expected = [
            "Kustomization/flux-system/apps: spec: missing required field 'prune'",
            "Kustomization/flux-system/apps: spec.interval: '10 minutes' does not match",
            "helm.toolkit.fluxcd.io/v2beta1 is not a served version of HelmRelease",
            "HelmRelease/apps/both: spec: either chart or chartRef must be set",
            "Tenant/t: spec.owners[0].kind: 'Robot' is not one of",
            "Tenant/t: spec.limitRanges.items[0].limits[0].default.memory: '8GB' does not match",
            "variable UNSET has no value",
        ]
        for fragment in expected {
            #expect(lines.contains { $0.contains(fragment) }, "no problem reported like: \(fragment)\n\(result.stdoutText)")
        }
        // ${QUOTA} became the integer 3, which the schema accepts.
        #expect(!lines.contains { $0.contains("namespaceOptions.quota") })
    }

    @Test func gotkSyncHasFluxBootstrapShape() throws {
        let sync = try String(contentsOf: Self.platform.appendingPathComponent(
            "clusters/production/flux-system/gotk-sync.yaml"), encoding: .utf8)
        // flux bootstrap writes the objects with alphabetically sorted keys and Go durations.
        #expect(sync.hasPrefix("# This manifest was generated by flux. DO NOT EDIT.\n---\napiVersion: source.toolkit.fluxcd.io/v1\nkind: GitRepository\n"))
        #expect(sync.contains("spec:\n  interval: 1m0s\n  ref:\n    branch: main\n  secretRef:\n    name: flux-system\n  url: ssh://"))
        #expect(sync.contains("spec:\n  interval: 10m0s\n  path: ./clusters/production\n  prune: true\n  sourceRef:\n    kind: GitRepository\n    name: flux-system\n"))
    }

    @Test func homeOpsDefinesNoGitRepositoryBecauseTheOperatorCreatesIt() throws {
        // The Flux Operator's FluxInstance creates GitRepository flux-system in the cluster;
        // discovery must cope with a root Kustomization whose source the repository lacks.
        let root = try String(contentsOf: Self.homeOps.appendingPathComponent("kubernetes/flux/cluster/ks.yaml"),
                              encoding: .utf8)
        #expect(root.contains("sourceRef:\n    kind: GitRepository\n    name: flux-system\n"))
        for manifest in Self.files(under: Self.homeOps) where manifest.pathExtension == "yaml" {
            let lines = try String(contentsOf: manifest, encoding: .utf8).split(separator: "\n")
            // A top-level `kind: GitRepository` would be an object; indented ones are references.
            #expect(!lines.contains("kind: GitRepository"), "\(Self.relative(manifest)) defines a GitRepository")
        }
    }

    // MARK: - helpers

    private func runValidator(_ roots: [String]) throws -> ProcessResult {
        try ProcessRunner.run(
            tool: "python3",
            [Self.validator.path, "--crds", TestPaths.crds.path, "--crds", Self.gatewayCRDs.path] + roots,
            environment: ["SOPS_AGE_KEY_FILE": Self.demoKey.path, "SOPS_AGE_KEY": nil])
    }

    private func creationRulePatterns(in repository: URL) throws -> [NSRegularExpression] {
        let text = try String(contentsOf: repository.appendingPathComponent(".sops.yaml"), encoding: .utf8)
        return try text.split(separator: "\n").compactMap { line in
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            guard trimmed.hasPrefix("- path_regex: ") else { return nil }
            return try NSRegularExpression(pattern: String(trimmed.dropFirst("- path_regex: ".count)))
        }
    }

    static func files(under directory: URL) -> [URL] {
        guard let walker = FileManager.default.enumerator(at: directory, includingPropertiesForKeys: [.isRegularFileKey])
        else { return [] }
        return walker.compactMap { $0 as? URL }
            .filter { (try? $0.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile) == true }
    }

    static func relative(_ url: URL) -> String {
        let root = TestPaths.repoRoot.standardizedFileURL.path
        let path = url.standardizedFileURL.path
        return path.hasPrefix(root + "/") ? String(path.dropFirst(root.count + 1)) : path
    }
}
