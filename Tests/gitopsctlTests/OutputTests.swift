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

@Suite struct StreamTests {
    /// Reads what a stream wrote through a real pipe.
    static func captured(_ write: (StandardStream) -> Void) -> String {
        var fds: [Int32] = [0, 0]
        #expect(pipe(&fds) == 0)
        write(StandardStream(fileDescriptor: fds[1]))
        close(fds[1])
        let reader = FileHandle(fileDescriptor: fds[0], closeOnDealloc: true)
        return String(decoding: reader.readDataToEndOfFile(), as: UTF8.self)
    }

    @Test func progressLineDrawsOnlyWhenEnabled() {
        let drawn = Self.captured { stream in
            let line = ProgressLine(stream: stream, enabled: true)
            line.update("waiting for Kustomization reconciliation")
            line.clear()
        }
        #expect(drawn == "\r\u{1B}[2K◎ waiting for Kustomization reconciliation\r\u{1B}[2K")
        let silent = Self.captured { stream in ProgressLine(stream: stream, enabled: false).update("x") }
        #expect(silent.isEmpty)
    }

    @Test func reporterWritesFluxStepLines() {
        let text = Self.captured { stream in
            let reporter = Reporter(stream: stream, color: false)
            reporter.action("annotating Kustomization apps in flux-system namespace")
            reporter.success("Kustomization annotated")
            reporter.detail("hidden without --verbose")
        }
        #expect(text == "► annotating Kustomization apps in flux-system namespace\n✔ Kustomization annotated\n")
    }

    @Test func binaryBytesPassThroughUnchanged() {
        let bytes: [UInt8] = [0, 255, 0x1B, 10, 13, 0x80]
        var fds: [Int32] = [0, 0]
        #expect(pipe(&fds) == 0)
        StandardStream(fileDescriptor: fds[1]).write(bytes: Data(bytes))
        close(fds[1])
        #expect([UInt8](FileHandle(fileDescriptor: fds[0], closeOnDealloc: true).readDataToEndOfFile()) == bytes)
    }

    @Test func jsonLinesAreCompact() {
        #expect(JSONPrinter.line(["html": "<a&b>"]) == "{\"html\":\"\\u003ca\\u0026b\\u003e\"}\n") // Go escaping, as kubectl
        #expect(JSONPrinter.line(["type": "step", "items": [1, "a"], "empty": [:]]) == "{\"type\":\"step\",\"items\":[1,\"a\"],\"empty\":{}}\n")
    }
}
