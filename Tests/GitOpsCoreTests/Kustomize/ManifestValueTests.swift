import Testing
@testable import GitOpsCore

/// Output formatting details of kubectl kustomize (JSON round trip through go-yaml v2).
@Suite struct ManifestValueTests {
    @Test(arguments: [
        ("_u", "1"), ("1", "A"), ("A", "a9"), ("a9", "a10"), ("a10", "b"), ("x1", "x01"), ("a", "ab"),
    ])
    func keysSortNaturally(_ pair: (String, String)) {
        #expect(ManifestValue.naturalLess(pair.0, pair.1))
        #expect(!ManifestValue.naturalLess(pair.1, pair.0))
    }

    @Test(arguments: [
        (1.0, "1"), (1e21, "1e+21"), (0.000001, "1e-06"), (300.0, "300"), (1.5e-7, "1.5e-07"),
        (1e23, "1e+23"), (2.5, "2.5"), (1234567.5, "1.2345675e+06"),
    ])
    func numbersAreRetypedThroughJSON(_ pair: (Double, String)) {
        #expect(ManifestValue.yamlNumber(pair.0) == pair.1)
    }

    @Test func scalarsAreQuotedLikeKubectl() throws {
        let node = try YAMLParser().parse("""
        b: "yes"
        a: 'on'
        n: 012  # go-yaml v3 reads a leading 0 as octal, as kubectl kustomize does
        s: "x: y"
        """).documents[0].root!
        #expect(ManifestValue.render([node]) == "a: \"on\"\nb: \"yes\"\n\"n\": 10\ns: 'x: y'\n")
    }
}
