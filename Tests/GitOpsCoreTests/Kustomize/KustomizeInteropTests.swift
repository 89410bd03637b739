import Foundation
import Testing
import TestSupport
@testable import GitOpsCore

/// Our build of a directory must print exactly what `kubectl kustomize` (kustomize v5) prints
/// for it: same objects, order, generator hashes and YAML text.
@Suite struct KustomizeInteropTests {
    static let fixtures = TestPaths.fixtures.appendingPathComponent("kustomize")

    /// One fixture directory per feature and per tricky combination.
    static let featureFixtures = [
        "base-app", "generator-suffix-patch", "component-prefix", "labels-selectors",
        "replacements-list", "json6902", "images-replicas", "secret-generator", "smp-directives",
        "regex-targets", "legacy-patches", "generator-merge", "namespace-rbac", "yaml-formatting", "build-metadata", "overlay-chain/overlay", "nested-components", "image-rules", "sort-fifo", "sort-legacy-custom", "smp-schema", "patch-options", "labels-workloads", "empty-fields", "generator-binary", "long-strings", "namereference-namespaces",
        // Every name-reference field of kustomize's table, including its omissions.
        "nameref-fields", "labels-all-kinds", "list-items", "patch-selectors", "generator-behaviors",
        "replacements-options", "images-all", "namespace-subjects", "json6902-annotations", "smp-lists",
        "smp-ports", "components-stack", "crds", "build-metadata-transformers", "build-metadata-origin",
        "image-regex", "sort-and-selectors", "overlay-merge-rename", "component-replacements-fifo",
        "smp-custom-resource", "labels-fields-merge-plain",
    ]

    /// Every kustomization directory of the sample repositories (repository-relative).
    static func repositoryDirectories() -> [String] {
        let roots = [TestPaths.examples.appendingPathComponent("platform"),
                     TestPaths.fixtures.appendingPathComponent("repos/home-ops")]
        var dirs: [String] = []
        for root in roots {
            let walker = FileManager.default.enumerator(at: root, includingPropertiesForKeys: nil)
            while let url = walker?.nextObject() as? URL {
                if url.lastPathComponent == "kustomization.yaml" {
                    let dir = url.deletingLastPathComponent().standardizedFileURL.path
                    dirs.append(String(dir.dropFirst(TestPaths.repoRoot.standardizedFileURL.path.count + 1)))
                }
            }
        }
        return dirs.sorted()
    }

    static func kubectlKustomize(_ directory: String) throws -> String {
        let result = try ProcessRunner.run(tool: "kubectl", ["kustomize", directory])
        #expect(result.status == 0, "kubectl kustomize \(directory) failed: \(result.stderrText)")
        return result.stdoutText
    }

    @Test(arguments: featureFixtures)
    func featureFixtureMatchesKubectl(_ name: String) throws {
        try #require(ProcessRunner.has(tool: "kubectl"), "kubectl is required for the kustomize interop tests")
        let dir = Self.fixtures.appendingPathComponent(name).path
        let ours = try KustomizeBuilder().build(dir).yaml
        let theirs = try Self.kubectlKustomize(dir)
        #expect(ours == theirs)
    }

    @Test(arguments: repositoryDirectories())
    func repositoryDirectoryMatchesKubectl(_ relative: String) throws {
        try #require(ProcessRunner.has(tool: "kubectl"), "kubectl is required for the kustomize interop tests")
        let dir = TestPaths.repoRoot.appendingPathComponent(relative).path
        let ours = try KustomizeBuilder(root: TestPaths.repoRoot.path).build(dir).yaml
        let theirs = try Self.kubectlKustomize(dir)
        #expect(ours == theirs)
    }

    @Test func sampleRepositoriesHaveKustomizations() {
        let dirs = Self.repositoryDirectories()
        #expect(dirs.contains("examples/platform/tenants"))
        #expect(dirs.count >= 20)
    }

    /// A directory without kustomization.yaml builds like Flux generates one: kubectl given
    /// the file Flux would write must print what we print for the bare directory.
    @Test func directoryWithoutKustomizationBuildsLikeFlux() throws {
        try #require(ProcessRunner.has(tool: "kubectl"), "kubectl is required for the kustomize interop tests")
        let source = Self.fixtures.appendingPathComponent("flux-generated")
        let copy = try TemporaryDirectory(prefix: "flux-generated")
        let target = copy.path("dir")
        try FileManager.default.copyItem(at: source, to: target)
        let ours = try KustomizeBuilder().build(target.path)
        let generated = try FluxGeneratedKustomization.make(for: target.path, loader: FileLoader())
        // Lexical walk: nested/ before sub/ before top.yaml; .sourceignore drops ignored.yaml;
        // values.json is not a manifest; sub/withk has its own kustomization and is not entered.
        #expect(generated.resources == ["./nested/cm.yml", "./sub/withk", "./top.yaml"])
        let kustomization = "resources:\n" + generated.resources.map { "- \($0)\n" }.joined()
        try kustomization.write(to: target.appendingPathComponent("kustomization.yaml"), atomically: true, encoding: .utf8)
        #expect(ours.yaml == (try Self.kubectlKustomize(target.path)))
    }

    @Test func nonManifestYAMLInGeneratedDirectoryIsAnError() throws {
        let dir = try TemporaryDirectory(prefix: "flux-bad")
        try "replicaCount: 2\n".write(to: dir.path("values.yaml"), atomically: true, encoding: .utf8)
        #expect(throws: KustomizeError.self) { try KustomizeBuilder().build(dir.url.path) }
        do {
            _ = try KustomizeBuilder().build(dir.url.path)
        } catch let error as KustomizeError {
            #expect(error.description.hasPrefix("failed to decode Kubernetes YAML from "))
            #expect(error.description.contains("values.yaml"))
        }
    }
}
