import Foundation
import Testing
import TestSupport
@testable import gitopsctl

@Suite struct TableTests {
    /// The exact bytes of flux-behaviors.md §4.2 (tablewriter's borderless layout).
    @Test func matchesFluxGetLayout() {
        let table = Table(header: ["name", "revision", "suspended", "ready", "message"], rows: [
            ["podinfo-longer1", "main@sha1:696f056d", "False", "True", "Fetched revision: main@sha1:696f056d"],
        ])
        let expected = "NAME           \tREVISION          \tSUSPENDED\tREADY\tMESSAGE                              \n"
            + "podinfo-longer1\tmain@sha1:696f056d\tFalse    \tTrue \tFetched revision: main@sha1:696f056d\t\n"
        #expect(table.render() == expected)
    }

    @Test func leavesOutTheHeaderOnRequest() {
        var table = Table(header: ["name"], rows: [["a"], ["bb"]])
        table.showsHeader = false
        #expect(table.render() == "a \t\nbb\t\n")
    }
}

@Suite struct DocumentPrinterTests {
    static let sample: Document = [
        "name": "apps",
        "ready": true,
        "count": 3,
        "ratio": .number(1.5),
        "nothing": nil,
        "tricky": ["yes", "1.0", "0x1F", "12:30", "- dash", "a: b", "#hash", "", "multi\nline", "tab\there",
                   "quote\"back\\slash", "ünïcode", "0.1.0", "~", "null", "on"],
        "nested": ["list": [["a": 1, "b": ["x", "y"]], [:], []], "empty": [:]],
        "order": ["z": 1, "a": 2, "m": 3],
    ]

    @Test func jsonKeepsDeclaredOrderAndTwoSpaceIndent() {
        let json = JSONPrinter.print(["b": 1, "a": ["x": true]])
        #expect(json == "{\n  \"b\": 1,\n  \"a\": {\n    \"x\": true\n  }\n}\n")
    }

    /// JSON and YAML are both read back by Python's parsers (json, PyYAML 1.1 safe_load) and
    /// must give the same data, so every quoting decision is checked by a real YAML reader.
    @Test func yamlAndJSONReadBackToTheSameData() throws {
        let dir = try TemporaryDirectory()
        try dir.write("out.json", JSONPrinter.print(Self.sample))
        try dir.write("out.yaml", YAMLPrinter.print(Self.sample))
        let script = """
        import json, sys, yaml
        j = json.load(open(sys.argv[1]))
        y = yaml.safe_load(open(sys.argv[2]))
        assert j == y, (j, y)
        assert list(j["order"]) == ["z", "a", "m"]
        assert j["tricky"][0] == "yes" and j["tricky"][3] == "12:30"
        print("same")
        """
        let result = try ProcessRunner.run(tool: "python3", ["-c", script, dir.path("out.json").path, dir.path("out.yaml").path])
        #expect(result.status == 0, "\(result.stderrText)")
        #expect(result.stdoutText == "same\n")
    }

    @Test func yamlLooksLikeKubectl() {
        let yaml = YAMLPrinter.print(["items": [["name": "a", "tags": ["x"]]], "version": "0.1.0"])
        #expect(yaml == "items:\n- name: a\n  tags:\n  - x\nversion: 0.1.0\n")
    }
}

@Suite struct TerminalTests {
    @Test func colourOnlyOnATerminalWithoutNoColor() {
        #expect(Terminal(stdoutIsTerminal: true, stderrIsTerminal: true, colorDisabled: false).colorOnStdout)
        #expect(!Terminal(stdoutIsTerminal: false, stderrIsTerminal: true, colorDisabled: false).colorOnStdout)
        #expect(!Terminal(stdoutIsTerminal: true, stderrIsTerminal: true, colorDisabled: true).colorOnStderr)
    }

    @Test func stepSymbolsAreFluxs() {
        #expect([Reporter.Step.action, .success, .failure, .waiting, .warning].map(\.symbol) == ["►", "✔", "✗", "◎", "⚠️"])
        #expect(Style.green.apply("✔", enabled: true) == "\u{1B}[32m✔\u{1B}[0m")
        #expect(Style.green.apply("✔", enabled: false) == "✔")
    }
}
