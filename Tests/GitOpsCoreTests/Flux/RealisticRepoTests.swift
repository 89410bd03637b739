import Foundation
import Testing
import TestSupport
@testable import GitOpsCore

/// Tests/Fixtures/flux/realistic (written by its generate.py): 33 Flux Kustomizations, nested,
/// with components, name prefixes, target namespaces and substituteFrom. What `build ks` gives
/// for each must equal `kubectl kustomize` of the same path after substitution (expected.json,
/// computed by the generator with its own substitution), compared as data by PyYAML.
@Suite(.enabled(if: ProcessRunner.has(tool: "python3")))
struct RealisticRepoTests {
    static let root = TestPaths.fixtures.appendingPathComponent("flux/realistic")

    @Test func everyKustomizationBuildsLikeKubectlKustomizeAfterSubstitution() throws {
        let repo = try FluxRepo.load(root: Self.root.path, options: .init(builder: KustomizeManifestBuilder(),
                                                                          strictSubstitute: true))
        #expect(ValidateRepository(repo: repo).problems().isEmpty)
        #expect(repo.kustomizations.count == 33)

        var streams: [String: String] = [:]
        for kustomization in repo.kustomizations {
            let objects = try BuildKustomization.objects(repo, name: kustomization.key.name, secrets: .keepEncrypted)
            streams[kustomization.key.name] = YAMLEmitter.manifest.emit(objects.map { YAMLDocument(root: $0) })
        }
        let script = """
            import sys, json, yaml
            def strip(o):
                labels = o.get("metadata", {}).get("labels", {})
                for k in ["kustomize.toolkit.fluxcd.io/name", "kustomize.toolkit.fluxcd.io/namespace"]:
                    labels.pop(k, None)
                if not labels: o.get("metadata", {}).pop("labels", None)
                return o
            streams = json.load(sys.stdin)
            print(json.dumps({n: [strip(d) for d in yaml.safe_load_all(t) if d is not None] for n, t in streams.items()}))
            """
        let converted = try ProcessRunner.run(tool: "python3", ["-c", script],
                                              stdin: try JSONSerialization.data(withJSONObject: streams))
        #expect(converted.status == 0, "\(converted.stderrText)")
        let ours = try #require(try JSONSerialization.jsonObject(with: converted.stdout) as? [String: Any])
        let expected = try #require(try JSONSerialization.jsonObject(
            with: Data(contentsOf: Self.root.appendingPathComponent("expected.json"))) as? [String: Any])
        #expect(Set(ours.keys) == Set(expected.keys))
        for (name, objects) in expected {
            #expect(NSArray(array: ours[name] as? [Any] ?? []).isEqual(to: objects as? [Any] ?? []),
                    "build ks \(name) differs from kubectl kustomize + substitution")
        }
    }

    @Test func dependsOnLayersOfTheRealisticRepo() throws {
        let repo = try FluxRepo.load(root: Self.root.path, options: .init(builder: KustomizeManifestBuilder()))
        let graph = DependencyGraph(repo)
        #expect(graph.cycles.isEmpty && graph.missing.isEmpty)
        #expect(graph.layers.first?.map(\.name) == ["flux-system", "infra-crds"])
        #expect(graph.layers.count == 5)
    }
}
