import Foundation
import Testing
@testable import GitOpsCore

/// Surgical edits: only the changed lines differ, new lines follow the file's own style.
@Suite struct YAMLEditTests {
    static let kustomization = """
    # Tenants registered with the platform.
    apiVersion: kustomize.config.k8s.io/v1beta1
    kind: Kustomization
    metadata:
        name: tenants   # keep me
        labels:
            team: platform
    resources:
        # the first tenant
        - team-a   # first
        - team-b
    patches:
        - path: patch.yaml
          target:
              kind: Namespace
    # trailing comment

    """

    static func edit(_ text: String, _ edits: [YAMLEdit]) throws -> String {
        let stream = try YAMLParser().parse(text, file: "kustomization.yaml")
        return String(decoding: try stream.applying(edits), as: UTF8.self)
    }

    @Test func appendFollowsTheSequenceIndentation() throws {
        let out = try Self.edit(Self.kustomization, [.append(to: "resources", item: "team-c")])
        #expect(out == Self.kustomization.replacingOccurrences(of: "    - team-b\n", with: "    - team-b\n    - team-c\n"))
    }

    @Test func appendToACompactSequence() throws {
        let text = "resources:\n- a.yaml\n- b.yaml\nnamespace: x\n"
        #expect(try Self.edit(text, [.append(to: "resources", item: "c.yaml")])
                == "resources:\n- a.yaml\n- b.yaml\n- c.yaml\nnamespace: x\n")
    }

    @Test func appendToEmptyOrMissingSequences() throws {
        #expect(try Self.edit("resources: []\nkind: K\n", [.append(to: "resources", item: "a")]) == "resources: [a]\nkind: K\n")
        #expect(try Self.edit("resources:\nkind: K\n", [.append(to: "resources", item: "a")]) == "resources:\n- a\nkind: K\n")
    }

    @Test func setScalarKeepsTheLineComment() throws {
        let out = try Self.edit(Self.kustomization, [.set("metadata.name", "tenants-v2")])
        #expect(out == Self.kustomization.replacingOccurrences(of: "name: tenants   # keep me", with: "name: tenants-v2   # keep me"))
    }

    @Test func setQuotesWhenNeededAndReplacesCollections() throws {
        let out = try Self.edit("a: 1\nb:\n  c: 2\n  d: 3\ne: 4\n", [.set("a", "yes"), .set("b", ["x", "y"])])
        // `y` is a YAML 1.1 boolean, so go-yaml quotes it too.
        #expect(out == "a: \"yes\"\nb:\n- x\n- \"y\"\ne: 4\n")
        let back = try Self.edit("a: 1\nb:\n  c: 2\ne: 4\n", [.set("b", YAMLNode(int: 7))])
        #expect(back == "a: 1\nb: 7\ne: 4\n")
    }

    @Test func insertAddsAnEntryAtTheMappingsIndentation() throws {
        let out = try Self.edit(Self.kustomization, [.insert(into: "metadata.labels", key: "tier", value: "tenants")])
        #expect(out == Self.kustomization.replacingOccurrences(of: "        team: platform\n",
                                                               with: "        team: platform\n        tier: tenants\n"))
        let nested = try Self.edit("a:\n  b: 1\nc: 2", [.insert(into: "", key: "d", value: ["e": 1])])
        #expect(nested == "a:\n  b: 1\nc: 2\nd:\n  e: 1\n")
    }

    @Test func insertIntoASequenceItemMapping() throws {
        let out = try Self.edit(Self.kustomization, [.insert(into: "patches[0].target", key: "name", value: "team-a")])
        #expect(out == Self.kustomization.replacingOccurrences(of: "          kind: Namespace\n",
                                                               with: "          kind: Namespace\n          name: team-a\n"))
    }

    @Test func removeTakesTheItemAndItsHeadComment() throws {
        let out = try Self.edit(Self.kustomization, [.remove("resources[0]")])
        #expect(out == Self.kustomization.replacingOccurrences(of: "    # the first tenant\n    - team-a   # first\n", with: ""))
        let entry = try Self.edit(Self.kustomization, [.remove("metadata.labels")])
        #expect(entry == Self.kustomization.replacingOccurrences(of: "    labels:\n        team: platform\n", with: ""))
    }

    @Test func removingTheLastItemLeavesAnEmptyCollection() throws {
        #expect(try Self.edit("a:\n- x\nb: 1\n", [.remove("a[0]")]) == "a: []\nb: 1\n")
    }

    @Test func removeTheFirstKeyOfASequenceItem() throws {
        let out = try Self.edit("list:\n- name: a\n  value: 1\n- name: b\n", [.remove("list[0].name")])
        #expect(out == "list:\n- value: 1\n- name: b\n")
    }

    @Test func missingPathsAreErrors() throws {
        #expect(throws: YAMLError.edit(file: "kustomization.yaml", path: "spec.path", problem: "no such key or index")) {
            try Self.edit(Self.kustomization, [.set("spec.path", "x")])
        }
        #expect(throws: YAMLError.self) { try Self.edit(Self.kustomization, [.insert(into: "kind", key: "x", value: 1)]) }
        #expect(throws: YAMLError.self) { try Self.edit(Self.kustomization, [.insert(into: "metadata", key: "name", value: 1)]) }
    }

    @Test func emitterMatchesTheFilesStyle() throws {
        let stream = try YAMLParser().parse(Self.kustomization)
        let emitter = YAMLEmitter.matching(stream)
        #expect(emitter.indent == 4)
        #expect(emitter.sequenceIndent == .indented)
        #expect(YAMLEmitter.matching(try YAMLParser().parse("a:\n- x\n")).sequenceIndent == .compact)
    }

    @Test func editsBelowAnAliasAreRefused() throws {
        let text = "base: &b\n  x: 1\ncopy: *b\n"
        #expect(throws: YAMLError.edit(file: "kustomization.yaml", path: "copy.x",
                                       problem: "it is inside the alias *b; edit the anchor &b instead")) {
            try Self.edit(text, [.set("copy.x", 2)])
        }
        #expect(try Self.edit(text, [.set("base.x", 2)]) == "base: &b\n  x: 2\ncopy: *b\n")
    }

    @Test func crlfFilesKeepCRLF() throws {
        let out = try Self.edit("a: 1\r\nlist:\r\n  - x\r\nb: 2\r\n", [.append(to: "list", item: "z"), .set("b", 3)])
        #expect(out == "a: 1\r\nlist:\r\n  - x\r\n  - z\r\nb: 3\r\n")
    }

    @Test func pathsParseAndPrint() {
        let path = YAMLPath("spec.dependsOn[1].name")
        #expect(path.components == [.key("spec"), .key("dependsOn"), .index(1), .key("name")])
        #expect(path.description == "spec.dependsOn[1].name")
        #expect(YAMLPath("metadata.annotations[\"a.b/c\"]").components.last == .key("a.b/c"))
    }
}
