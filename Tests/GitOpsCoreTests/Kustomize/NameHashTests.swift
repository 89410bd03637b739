import Testing
@testable import GitOpsCore

/// The generator name suffix is kustomize's: same JSON, same digest, same letter mapping.
@Suite struct NameHashTests {
    static func configMap(_ data: YAMLNode?) -> YAMLNode {
        var node: YAMLNode = ["apiVersion": "v1", "kind": "ConfigMap", "metadata": ["name": "cm"]]
        if let data { node["data"] = data }
        return node
    }

    @Test func specVectors() throws {
        #expect(NameHash.suffix(for: Self.configMap(nil)) == "6ct58987ht")
        #expect(NameHash.suffix(for: Self.configMap(["one": ""])) == "9g67k2htb6")
        let numbers = try YAMLParser().parse("two: 2\none: \"\"\nthree: 3\n").documents[0].root
        #expect(NameHash.suffix(for: Self.configMap(numbers)) == "7757f9kkct")
        let secret: YAMLNode = ["apiVersion": "v1", "kind": "Secret", "type": "my-type", "metadata": ["name": "s"]]
        #expect(NameHash.suffix(for: secret) == "5gmgkf8578")
    }

    /// kubectl kustomize named `configMapGenerator: [{name: cm, literals: [a=1, b="two"]}]`
    /// `cm-5m9tg7g54f`, with or without a name prefix: the name is not hashed.
    @Test func hashIgnoresTheName() {
        var node = Self.configMap(["a": "1", "b": "two"])
        #expect(NameHash.suffix(for: node) == "5m9tg7g54f")
        node["metadata"] = ["name": "p-cm"]
        #expect(NameHash.suffix(for: node) == "5m9tg7g54f")
    }

    @Test func hashedJSONSortsKeysAndEscapesLikeGo() throws {
        let node = try YAMLParser().parse("b: \"<&>é\"\na: 1\n").documents[0].root!
        #expect(KubeJSON(yaml: node).withSortedKeys.serialized == "{\"a\":1,\"b\":\"\\u003c\\u0026\\u003eé\"}")
    }
}
