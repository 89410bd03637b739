import Foundation
import Testing
@testable import GitOpsCore

@Suite struct YAMLDecoderTests {
    struct Kustomization: Decodable, Equatable {
        struct Spec: Decodable, Equatable {
            struct Dependency: Decodable, Equatable { var name: String; var namespace: String? }
            var path: String
            var prune: Bool
            var retries: Int?
            var dependsOn: [Dependency]
        }
        var kind: String
        var spec: Spec
        var metadata: YAMLNode
    }

    static let text = """
    kind: Kustomization
    metadata:
      name: apps
      annotations: {note: kept}
    spec:
      path: ./apps
      prune: true
      retries: 3
      dependsOn:
        - name: infra
        - name: crds
          namespace: flux-system
    """

    @Test func decodesTypedModelsAndKeepsRawNodes() throws {
        let root = try #require(try YAMLParser().parse(Self.text).documents.first?.root)
        let k = try YAMLDecoder().decode(Kustomization.self, from: root, file: "ks.yaml")
        #expect(k.spec.dependsOn.map(\.name) == ["infra", "crds"])
        #expect(k.spec.dependsOn[1].namespace == "flux-system")
        #expect(k.spec.retries == 3)
        #expect(k.metadata["annotations"]?["note"]?.string == "kept")
    }

    @Test(arguments: [
        ("spec:\n  path: ./a\n  prune: true\n  dependsOn:\n    - name: x\n    - nam: y\nkind: K\nmetadata: {}\n",
         "ks.yaml:6:7: spec.dependsOn[1]: missing required field 'name'"),
        ("kind: K\nmetadata: {}\nspec:\n  path: ./a\n  prune: maybe\n  dependsOn: []\n",
         "ks.yaml:5:10: spec.prune: expected a boolean, found \"maybe\""),
        ("kind: K\nmetadata: {}\nspec:\n  path: [a]\n  prune: true\n  dependsOn: []\n",
         "ks.yaml:4:9: spec.path: expected a string, found a sequence"),
        ("kind: K\nmetadata: {}\nspec:\n  path: a\n  prune: true\n  retries: 1.5\n  dependsOn: []\n",
         "ks.yaml:6:12: spec.retries: \"1.5\" does not fit in Int"),
    ])
    func errorsNameThePathAndPosition(text: String, message: String) throws {
        let root = try #require(try YAMLParser().parse(text).documents.first?.root)
        do {
            _ = try YAMLDecoder().decode(Kustomization.self, from: root, file: "ks.yaml")
            Issue.record("decoded invalid input")
        } catch {
            #expect("\(error)" == message)
        }
    }

    @Test func yaml11ProfileReadsOldBooleans() throws {
        struct Flag: Decodable { var enabled: Bool }
        let root = try #require(try YAMLParser().parse("enabled: yes\n").documents.first?.root)
        #expect(try YAMLDecoder(profile: .yaml11).decode(Flag.self, from: root).enabled)
        #expect(throws: YAMLError.self) { try YAMLDecoder().decode(Flag.self, from: root) }
    }

    /// A model reads the fields it knows and keeps the whole node, so fields it does not know
    /// (and their comments) are written back unchanged when it re-emits.
    @Test func unknownFieldsSurviveDecodeAndReEmit() throws {
        struct HelmRelease: Decodable {
            var name: String
            var chart: String
            var node: YAMLNode
            enum Keys: String, CodingKey { case metadata, spec }
            enum MetadataKeys: String, CodingKey { case name }
            enum SpecKeys: String, CodingKey { case chart }
            init(from decoder: any Decoder) throws {
                node = try decoder.singleValueContainer().decode(YAMLNode.self)
                let root = try decoder.container(keyedBy: Keys.self)
                name = try root.nestedContainer(keyedBy: MetadataKeys.self, forKey: .metadata).decode(String.self, forKey: .name)
                struct Chart: Decodable { var spec: Inner; struct Inner: Decodable { var chart: String } }
                chart = try root.nestedContainer(keyedBy: SpecKeys.self, forKey: .spec).decode(Chart.self, forKey: .chart).spec.chart
            }
        }
        let text = """
        apiVersion: helm.toolkit.fluxcd.io/v2
        kind: HelmRelease
        metadata:
          name: cilium
          namespace: kube-system
        spec:
          # pinned until the 1.17 upgrade window
          chart:
            spec:
              chart: cilium
              version: 1.16.5
          values:
            kubeProxyReplacement: true
            x-unknown-extension: {keep: me}

        """
        let root = try #require(try YAMLParser().parse(text).documents.first?.root)
        var release = try YAMLDecoder().decode(HelmRelease.self, from: root, file: "hr.yaml")
        #expect(release.name == "cilium" && release.chart == "cilium")
        #expect(YAMLEmitter.manifest.emit(release.node) == text)
        release.node["spec"]?["chart"]?["spec"]?["version"] = "1.17.0"
        #expect(YAMLEmitter.manifest.emit(release.node) == text.replacingOccurrences(of: "1.16.5", with: "1.17.0"))
    }
}
