import Testing
@testable import GitOpsCore

@Suite struct DependencyGraphTests {
    func node(_ name: String, _ dependencies: [String]) -> DependencyGraph.Node {
        DependencyGraph.Node(key: FluxObjectKey(kind: "Kustomization", namespace: "flux-system", name: name),
                             origin: FluxOrigin(file: "\(name).yaml", at: nil),
                             dependsOn: dependencies.map { .init(kind: "Kustomization", namespace: "flux-system", name: $0, at: nil) })
    }

    @Test func layersFollowDependsOn() {
        let graph = DependencyGraph(nodes: [node("apps", ["infra", "crds"]), node("infra", ["crds"]), node("crds", [])])
        #expect(graph.layers.map { $0.map(\.name) } == [["crds"], ["infra"], ["apps"]])
        #expect(graph.cycles.isEmpty && graph.missing.isEmpty)
    }

    @Test func everyCycleIsNamed() {
        let graph = DependencyGraph(nodes: [
            node("apps", ["infra"]), node("infra", ["apps"]),
            node("a", ["b"]), node("b", ["c"]), node("c", ["a"]),
            node("self", ["self"]), node("after", ["apps"]), node("ok", []),
        ])
        #expect(graph.cycles.map(DependencyGraph.describe) == ["a → b → c → a", "apps → infra → apps", "self → self"])
        #expect(graph.layers.map { $0.map(\.name) } == [["ok"]])
    }

    @Test func missingTargetsAreReported() {
        let graph = DependencyGraph(nodes: [node("apps", ["database", "infra"]), node("infra", [])])
        #expect(graph.missing.map(\.target.name) == ["database"])
        #expect(graph.missing.first?.from.name == "apps")
    }

    @Test func renderingsNameEveryEdge() {
        let graph = DependencyGraph(nodes: [node("apps", ["infra"]), node("infra", ["gone"])])
        #expect(graph.dot.contains("\"Kustomization/flux-system/apps\" -> \"Kustomization/flux-system/infra\";"))
        #expect(graph.dot.contains("\"Kustomization/flux-system/gone\" [style=dashed"))
        #expect(graph.mermaid.contains("n0 --> n1"))
        #expect(graph.drawing == """
            Kustomization/flux-system/apps
            └── Kustomization/flux-system/infra
                └── Kustomization/flux-system/gone (missing)

            """)
    }
}
