import Testing
@testable import GitOpsCore

@Suite("KubeJSON")
struct KubeJSONTests {
    @Test func jsonRoundTripKeepsKeyOrder() throws {
        let text = #"{"kind":"ConfigMap","apiVersion":"v1","metadata":{"name":"x","b":1,"a":[true,null,2.5]},"data":{"z":"\u00e9\n<"}}"#
        let value = try KubeJSON.parse(text)
        #expect(value.serialized == #"{"kind":"ConfigMap","apiVersion":"v1","metadata":{"name":"x","b":1,"a":[true,null,2.5]},"data":{"z":"é\n\u003c"}}"#)
        #expect(throws: KubeError.malformedJSON(offset: 8, reason: "expected ':'")) { _ = try KubeJSON.parse(#"{"kind" 1}"#) }
    }

    @Test(arguments: ["", "{", "[1,]", "{\"a\":}", "nul", "\"open", "1 2"])
    func malformedInputIsRejected(_ text: String) {
        #expect(throws: KubeError.self) { _ = try KubeJSON.parse(text) }
    }

    @Test func prettyPrintsLikeKubectl() throws {
        let value = try KubeJSON.parse(#"{"a":{"b":[1,{}]},"c":[]}"#)
        #expect(value.pretty == "{\n  \"a\": {\n    \"b\": [\n      1,\n      {}\n    ]\n  },\n  \"c\": []\n}")
    }

    @Test func manifestsFromYAMLDecodeAsTheAPIServerWould() throws {
        let objects = try KubeObject.objects(fromYAML: """
            apiVersion: v1
            kind: ConfigMap
            metadata: {name: x, labels: {on: "yes"}}
            data: {port: "8080", when: 2026-01-01}
            spec: {replicas: 3, ratio: 1.50, flag: true, none: ~, big: 18446744073709551615}
            ---
            ---
            apiVersion: v1
            kind: Namespace
            metadata: {name: y}
            """)
        #expect(objects.map(\.name) == ["x", "y"])
        #expect(objects[0].json.serialized == #"{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"x","labels":{"on":"yes"}},"data":{"port":"8080","when":"2026-01-01"},"spec":{"replicas":3,"ratio":1.50,"flag":true,"none":null,"big":18446744073709551615}}"#)
    }
}
