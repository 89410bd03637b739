import Testing
import TestSupport
@testable import GitOpsCore

/// KubeJSON writes strings and floats with the YAML layer's Go encoding/json rules, which
/// are what kubectl prints.
@Suite struct KubeJSONEscapingTests {
    static let tricky = "a\u{08}b\u{0C}c<d>e&f\u{2028}g\u{2029}h\u{01}i\"j\\k\tl\nm é"

    @Test func stringsAreEscapedAsKubectlEscapesThem() throws {
        try #require(ProcessRunner.has(tool: "kubectl"))
        let result = try ProcessRunner.run(tool: "kubectl", ["create", "configmap", "x", "--from-literal=k=\(Self.tricky)",
                                                            "--dry-run=client", "-o", "json"])
        #expect(result.status == 0, "\(result.stderrText)")
        let line = try #require(result.stdoutText.split(separator: "\n").first { $0.contains("\"k\":") })
        let value = line.drop { $0 != ":" }.dropFirst().trimmingPrefix(" ")
        #expect(KubeJSON.string(Self.tricky).serialized == String(value))
        let parsed = try KubeJSON.parse(result.stdoutText)
        #expect(parsed.at("data.k") == .string(Self.tricky))
    }

    @Test(arguments: [("1.50", "1.50"), (".5", "0.5"), ("1e3", "1e3"), ("1.", "1"), ("-.25", "-0.25"), ("1.0e+21", "1.0e+21")])
    func floatsKeepJSONDigitsOrTakeGoForm(_ yaml: String, _ json: String) throws {
        let objects = try KubeObject.objects(fromYAML: "kind: X\nv: \(yaml)\n")
        #expect(try #require(objects.first).json.at("v") == .number(json))
    }

    @Test func stringLiteralsAreReadAsGoReadsThem() throws {
        #expect(try KubeJSON.parse(#""\ud83d\ude00 \ud800x \/""#) == .string("😀 \u{FFFD}x /"))
        #expect(throws: KubeError.malformedJSON(offset: 2, reason: "control character in a string")) {
            _ = try KubeJSON.parse("\"a\u{01}\"")
        }
        #expect(throws: KubeError.malformedJSON(offset: 4, reason: "invalid escape '\\x'")) { _ = try KubeJSON.parse(#""a\x""#) }
    }
}
