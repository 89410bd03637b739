import Foundation
import Testing
import TestSupport

/// `gitopsctl tree ks` on examples/platform, compared with golden files in
/// Tests/Fixtures/flux/golden (`GITOPSCTL_UPDATE_GOLDEN=1 swift test --filter TreeCommandTests` rewrites them).
@Suite
struct TreeCommandTests {
    static let platform = TestPaths.examples.appendingPathComponent("platform")
    static let golden = TestPaths.fixtures.appendingPathComponent("flux/golden")

    static func matchGolden(_ name: String, _ actual: String) throws {
        let file = golden.appendingPathComponent(name)
        if ProcessInfo.processInfo.environment["GITOPSCTL_UPDATE_GOLDEN"] == "1" {
            try actual.write(to: file, atomically: true, encoding: .utf8)
        }
        let expected = try String(contentsOf: file, encoding: .utf8)
        #expect(actual == expected, "\(name) differs from its golden file")
    }

    @Test(arguments: [
        (["tree", "ks", "flux-system"], "tree-flux-system.txt"),
        (["tree", "ks", "flux-system", "--compact"], "tree-flux-system-compact.txt"),
        (["tree", "ks", "flux-system", "-o", "json"], "tree-flux-system.json"),
        (["tree", "ks", "infra-controllers", "-o", "yaml"], "tree-infra-controllers.yaml"),
        (["tree", "ks", "flux-system", "--deps"], "deps-flux-system.txt"),
        (["tree", "ks", "flux-system", "--deps", "-o", "dot"], "deps-flux-system.dot"),
        (["tree", "ks", "flux-system", "--deps", "-o", "mermaid"], "deps-flux-system.mmd"),
        (["tree", "ks", "flux-system", "--deps", "-o", "json"], "deps-flux-system.json"),
    ])
    func platformTreesMatchGoldenFiles(arguments: [String], golden: String) throws {
        let result = try ProcessRunner.gitopsctl(arguments, in: Self.platform)
        #expect(result.status == 0, "\(result.stderrText)")
        try Self.matchGolden(golden, result.stdoutText)
    }

    @Test func treeDrawsLikeFluxTree() throws {
        let result = try ProcessRunner.gitopsctl(["tree", "ks", "infra-crds"], in: Self.platform)
        #expect(result.stdoutText == """
            Kustomization/flux-system/infra-crds
            ├── CustomResourceDefinition/gatewayclasses.gateway.networking.k8s.io
            ├── CustomResourceDefinition/gateways.gateway.networking.k8s.io
            └── CustomResourceDefinition/httproutes.gateway.networking.k8s.io


            """)
    }

    /// flux marshals its tree struct: JSON in Go field order then one newline; YAML through
    /// sigs.k8s.io/yaml (keys sorted) and Println, so an empty line follows.
    @Test func jsonKeepsGoFieldOrderAndYAMLSortsKeysLikeFlux() throws {
        let json = try ProcessRunner.gitopsctl(["tree", "ks", "infra-crds", "-o", "json"], in: Self.platform)
        #expect(json.stdoutText.hasPrefix("""
            {
              "resource": {
                "Namespace": "flux-system",
                "Name": "infra-crds",
                "GroupKind": {
                  "Group": "kustomize.toolkit.fluxcd.io",
                  "Kind": "Kustomization"
                }
              },
              "resources": [
            """))
        #expect(json.stdoutText.hasSuffix("}\n") && !json.stdoutText.hasSuffix("\n\n"))
        let yaml = try ProcessRunner.gitopsctl(["tree", "ks", "infra-crds", "-o", "yaml"], in: Self.platform)
        #expect(yaml.stdoutText.hasPrefix("""
            resource:
              GroupKind:
                Group: kustomize.toolkit.fluxcd.io
                Kind: Kustomization
              Name: infra-crds
              Namespace: flux-system
            resources:
            - resource:
                GroupKind:
                  Group: apiextensions.k8s.io
                  Kind: CustomResourceDefinition
                Name: gatewayclasses.gateway.networking.k8s.io
                Namespace: ""

            """))
        #expect(yaml.stdoutText.hasSuffix("Namespace: \"\"\n\n"))
    }

    @Test func depsFailsOnACycleAndNamesIt() throws {
        let result = try ProcessRunner.gitopsctl(["tree", "ks", "flux-system", "--deps", "--repo",
                                                  TestPaths.fixtures.appendingPathComponent("flux/cycle").path])
        #expect(result.status == 1)
        #expect(result.stderrText.contains("✗ dependency cycle: apps → infra → apps"))
        #expect(result.stdoutText.contains("(cycle)"))
    }

    @Test func unknownKustomizationIsAnError() throws {
        let result = try ProcessRunner.gitopsctl(["tree", "ks", "nope"], in: Self.platform)
        #expect(result.status == 1)
        #expect(result.stderrText.contains("Kustomization nope not found in the repository"))
    }

    @Test func completionListsKustomizationsAndHelmReleasesFromTheRepository() throws {
        let ks = try ProcessRunner.gitopsctl(["__complete", "tree", "ks", "infra"], in: Self.platform)
        #expect(ks.stdoutText.split(separator: "\n").map { $0.split(separator: "\t").first.map(String.init) ?? "" }
                == ["infra-configs", "infra-controllers", "infra-crds", ":none"])
        let hr = try ProcessRunner.gitopsctl(["__complete", "get", "hr", "c"], in: Self.platform)
        #expect(hr.stdoutText.hasPrefix("capsule\tcapsule-system, infrastructure/controllers/capsule.yaml\n"))
        #expect(hr.stdoutText.contains("cilium\t"))
    }
}
