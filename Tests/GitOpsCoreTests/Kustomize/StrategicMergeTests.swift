import Testing
@testable import GitOpsCore

/// Strategic merge semantics as kustomize applies them (checked against kubectl in the
/// fixtures; these pin the rules one by one).
@Suite struct StrategicMergeTests {
    static func parse(_ text: String) throws -> YAMLNode {
        try #require(try YAMLParser().parse(text).documents.first?.root)
    }

    static let deployment = GroupVersionKind(group: "apps", version: "v1", kind: "Deployment")

    static func merged(_ target: String, _ patch: String,
                       gvk: GroupVersionKind = deployment) throws -> YAMLNode {
        guard case .merged(let node) = StrategicMerge.apply(try parse(patch), to: try parse(target), gvk: gvk) else {
            Issue.record("patch deleted the object")
            return YAMLNode(mapping: [])
        }
        return node
    }

    @Test func patchElementsComeFirstThenUntouchedOnes() throws {
        let node = try Self.merged("containers: [{name: a, image: a}, {name: b, image: b}]",
                                   "containers: [{name: new, image: n}, {name: b, image: b2}]")
        #expect(node["containers"]?.items.compactMap { $0["name"]?.scalar } == ["new", "b", "a"])
        #expect(node["containers"]?[1]?["image"]?.scalar == "b2")
    }

    @Test func deleteDirectiveRemovesListElementAndNullRemovesKey() throws {
        let node = try Self.merged("volumes: [{name: a}, {name: b}]\nx: 1\ny: 2",
                                   "volumes: [{name: a, $patch: delete}]\nx: null")
        #expect(node["volumes"]?.items.compactMap { $0["name"]?.scalar } == ["b"])
        #expect(node["x"] == nil)
        #expect(node["y"]?.int == 2)
    }

    @Test func replaceDirectiveReplacesMap() throws {
        let node = try Self.merged("s: {a: 1, b: 2}", "s: {$patch: replace, c: 3}")
        #expect(node["s"]?.keys == ["c"])
    }

    @Test func listsWithoutMergeKeyAreReplaced() throws {
        let node = try Self.merged("args: [a, b]\ntolerations: [{key: x}]", "args: [c]\ntolerations: [{key: y}]")
        #expect(node["args"]?.items.compactMap(\.scalar) == ["c"])
        #expect(node["tolerations"]?.items.compactMap { $0["key"]?.scalar } == ["y"])
    }

    /// Custom resources have no schema: kustomize replaces their lists, even of named items.
    @Test func customResourceListsAreReplaced() throws {
        let thing = GroupVersionKind(group: "example.com", version: "v1", kind: "Thing")
        let node = try Self.merged("items: [{name: a}, {name: b, v: 1}]", "items: [{name: b, v: 2}]", gvk: thing)
        #expect(node["items"]?.items.count == 1)
        #expect(node["items"]?[0]?["v"]?.int == 2)
    }

    @Test func wholeObjectDelete() throws {
        let outcome = StrategicMerge.apply(try Self.parse("$patch: delete"), to: try Self.parse("a: 1"), gvk: Self.deployment)
        guard case .deleteObject = outcome else {
            Issue.record("expected deletion")
            return
        }
    }
}
