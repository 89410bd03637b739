import Foundation
import Testing
import TestSupport
@testable import GitOpsCore

/// `GoRegex` must answer as Go's `regexp.MatchString` does, since sops decides with it which
/// values to encrypt. The judge is the real sops: it encrypts a JSON map whose keys are the
/// samples with `--encrypted-regex PATTERN`, and a key is a match exactly when its value
/// comes back encrypted.
@Suite struct GoRegexTests {
    static let samples = [
        "data", "stringData", "xdata", "data2", "metadata", "Data", "abc", "abc\n", "a.b", "aXb", "a\nb",
        "ünïcödé", "π", "user_name", "foo bar", "tab\there", "123", "12", "a-b", "a{,2}", "aa",
        "secrets/app.yaml", "secrets/app.yml", "x/secrets/app.yaml", "foofoobar", "name", "x_unencrypted",
    ]

    static let patterns = [
        #"^(data|stringData)$"#, #"^data$"#, "data", #"secrets/.*\.yaml$"#, #"^a.b$"#, #"\bname\b"#,
        #"^(?:foo|bar)+$"#, #"^[a-c]+$"#, #"^[^a-z]"#, #"\d{2,}"#, #"^\w+$"#, #"\s"#, #"abc$"#, #"^.$"#,
        #"a{,2}"#, #"^a{2}$"#, #"^(?P<key>[a-z]+)_unencrypted$"#, #"[.-]"#, #"^[\w-]+$"#, #"\x41|π"#,
        #"(a*)*b"#, #"^\S+$"#, #"^abc\z"#,
    ]

    @Test(arguments: patterns)
    func matchesWhatSopsEncrypts(pattern: String) throws {
        let regex = try GoRegex(pattern)
        #expect(regex.usesProgram, "\(pattern) should not need NSRegularExpression")

        let directory = try TemporaryDirectory(prefix: "go-regex")
        let input = Dictionary(uniqueKeysWithValues: Self.samples.map { ($0, "v") })
        try JSONSerialization.data(withJSONObject: input).write(to: directory.path("in.json"))
        let result = try ProcessRunner.run(
            tool: "sops",
            ["encrypt", "--age", try SopsRecipe.recipient(named: "alice"), "--encrypted-regex", pattern, "in.json"],
            environment: ["SOPS_DISABLE_VERSION_CHECK": "1"], in: directory.url)
        try #require(result.status == 0, "\(result.stderrText)")
        let output = try #require(try JSONSerialization.jsonObject(with: Data(result.stdoutText.utf8)) as? [String: Any])

        for sample in Self.samples {
            let value = try #require(output[sample] as? String, "\(sample.debugDescription) missing")
            #expect(regex.matches(sample) == value.hasPrefix("ENC["),
                    "\(pattern) on \(sample.debugDescription): sops says \(value.hasPrefix("ENC[") ? "match" : "no match")")
        }
    }

    @Test(arguments: [(#"\p{Lu}"#, "Data", true), (#"\p{Lu}"#, "data", false), (#"(?i)^DATA$"#, "data", true),
                      (#"[[:digit:]]"#, "a1", true), (#"\Qa.b\E"#, "aXb", false)])
    func otherSyntaxStillMatchesThroughFoundation(pattern: String, text: String, expected: Bool) throws {
        let regex = try GoRegex(pattern)
        #expect(!regex.usesProgram)
        #expect(regex.matches(text) == expected)
    }

    @Test(arguments: ["(", "a)", "[a", "*a", "a{2,1}"])
    func invalidPatternsAreRefused(pattern: String) {
        #expect(throws: SopsError.self) { try GoRegex(pattern) }
    }
}
