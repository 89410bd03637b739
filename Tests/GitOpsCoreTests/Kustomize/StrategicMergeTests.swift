import Testing
@testable import GitOpsCore

/// Strategic merge semantics as kustomize applies them (checked against kubectl in the
/// fixtures; these pin the rules one by one).
@Suite struct StrategicMergeTests {
    static func parse(_ text: String) throws -> YAMLNode {
        try #require(try YAMLParser().parse(text).documents.first?.root)
    }

    static func merged(_ target: String, _ patch: String, kind: String = "Deployment") throws -> YAMLNode {
        guard case .merged(let node) = StrategicMerge.apply(try parse(patch), to: try parse(target), kind: kind) else {
            Issue.record("patch deleted the object")
            return YAMLNode(mapping: [])
        }
        return node
    }

    @Test func patchElementsComeFirstThenUntouchedOnes() throws {
        let node = try Self.merged("c: [{name: a, image: a}, {name: b, image: b}]",
                                   "c: [{name: new, image: n}, {name: b, image: b2}]")
        #expect(node["c"]?.items.compactMap { $0["name"]?.scalar } == ["new", "b", "a"])
        #expect(node["c"]?[1]?["image"]?.scalar == "b2")
    }

    @Test func deleteDirectiveRemovesListElementAndNullRemovesKey() throws {
        let node = try Self.merged("v: [{name: a}, {name: b}]\nx: 1\ny: 2",
                                   "v: [{name: a, $patch: delete}]\nx: null")
        #expect(node["v"]?.items.compactMap { $0["name"]?.scalar } == ["b"])
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

    @Test func wholeObjectDelete() throws {
        let outcome = StrategicMerge.apply(try Self.parse("$patch: delete"), to: try Self.parse("a: 1"), kind: "X")
        guard case .deleteObject = outcome else {
            Issue.record("expected deletion")
            return
        }
    }
}
