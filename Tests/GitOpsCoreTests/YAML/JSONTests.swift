import Foundation
import Testing
import TestSupport
@testable import GitOpsCore

@Suite struct JSONTests {
    static let sops = TestPaths.vectors.appendingPathComponent("sops")

    static func read(_ name: String) throws -> [UInt8] {
        try [UInt8](Data(contentsOf: sops.appendingPathComponent(name)))
    }

    /// Where values need no float64 normalisation, sops's decrypted JSON is exactly our
    /// pretty output of the plaintext (escapes decoded, `<>&` re-escaped, tab indent).
    @Test(arguments: ["j01-basic", "j06-keys", "j05-unencrypted-suffix"])
    func prettyOutputMatchesSopsDecryptedJSON(name: String) throws {
        let stream = try JSONParser().parse(try Self.read("\(name).plain.json"), file: name)
        let root = try #require(stream.documents.first?.root)
        let expected = String(decoding: try Self.read("\(name).decrypted.json"), as: UTF8.self)
        #expect(try JSONEmitter.sops.emit(root) == expected)
    }

    /// sops ≤ 3.13.1 reads every JSON number as float64; re-rendering each with Go's
    /// encoding/json float format reproduces its output.
    @Test func goJSONFloatFormatReproducesSopsNumbers() throws {
        var root = try #require(try JSONParser().parse(try Self.read("j02-numbers.plain.json")).documents.first?.root)
        func normalise(_ node: inout YAMLNode) {
            switch node.content {
            case let .scalar(text) where node.style == .plain:
                if let d = Double(text) { node = YAMLNode(scalar: YAMLFloatFormat.goJSON(d)) }
            case var .sequence(items):
                for i in items.indices { normalise(&items[i]) }
                node.content = .sequence(items)
            case var .mapping(pairs):
                for i in pairs.indices { normalise(&pairs[i].value) }
                node.content = .mapping(pairs)
            default: break
            }
        }
        normalise(&root)
        let expected = String(decoding: try Self.read("j02-numbers.decrypted.json"), as: UTF8.self)
        #expect(try JSONEmitter.sops.emit(root) == expected)
    }

    @Test func numbersKeepTheirKindAndDigits() throws {
        let root = try #require(try JSONParser().parse(#"{"i": 10, "f": 1.0, "e": 1e3, "big": 18446744073709551616, "neg": -0}"#)
            .documents.first?.root)
        #expect(root["i"]?.resolved() == .int(10))
        #expect(root["f"]?.resolved() == .float(1))
        #expect(root["e"]?.resolved() == .float(1000))
        #expect(root["big"]?.resolved() == .float(18446744073709551616))
        #expect(try JSONEmitter.compact.emit(root) == #"{"i":10,"f":1.0,"e":1e3,"big":18446744073709551616,"neg":-0}"#)
    }

    @Test func keyOrderAndDuplicateKeysAreKept() throws {
        let root = try #require(try JSONParser().parse(#"{"z": 1, "a": 2, "z": 3}"#).documents.first?.root)
        #expect(root.entries.map { $0.key.scalar ?? "" } == ["z", "a", "z"])
    }

    @Test func stringsEscapeLikeGo() throws {
        let node = YAMLNode(string: "q\" b\\ t\t n\n <a>&\u{2028} é \u{01}")
        #expect(try JSONEmitter.compact.emit(node) == #""q\" b\\ t\t n\n \u003ca\u003e\u0026\u2028 é \u0001""#)
    }

    @Test func yamlValuesBecomeTypedJSON() throws {
        let root = try #require(try YAMLParser().parse("a: 0x1F\nb: yes\nc: 2024-01-02\nd: ~\ne: [1, '2']\n").documents.first?.root)
        #expect(try JSONEmitter.compact.emit(root) == #"{"a":31,"b":"yes","c":"2024-01-02T00:00:00Z","d":null,"e":[1,"2"]}"#)
        #expect(throws: YAMLError.jsonUnsupportedValue(path: "x", value: ".inf")) {
            try JSONEmitter.compact.emit(try #require(try YAMLParser().parse("x: .inf\n").documents.first?.root))
        }
    }

    @Test(arguments: [
        ("{\"a\": 1,}", "bad.json:1:9: invalid JSON: expected a string key"),
        ("{\"a\" 1}", "bad.json:1:6: invalid JSON: expected ':' after an object key"),
        ("[1, 2\n", "bad.json:2:1: invalid JSON: unexpected end of input in an array"),
        ("{\"a\": tru}", "bad.json:1:7: invalid JSON: invalid literal"),
        ("{} x", "bad.json:1:4: invalid JSON: unexpected text after the JSON value"),
    ])
    func malformedJSONNamesLineAndColumn(text: String, message: String) {
        do {
            _ = try JSONParser().parse(text, file: "bad.json")
            Issue.record("accepted \(text)")
        } catch {
            #expect("\(error)" == message)
        }
    }

    @Test func pythonReadsPrettyAndCompactOutputAsTheSameData() throws {
        let source = try Self.read("j01-basic.plain.json")
        let root = try #require(try JSONParser().parse(source).documents.first?.root)
        let dir = try TemporaryDirectory()
        let original = try dir.write("in.json", String(decoding: source, as: UTF8.self))
        for (label, emitter) in [("pretty", JSONEmitter(layout: .pretty(indent: "  "))), ("compact", .compact)] {
            let out = try dir.write("\(label).json", try emitter.emit(root))
            let result = try ProcessRunner.run(tool: "python3", ["-c",
                "import json,sys; a=json.load(open(sys.argv[1])); b=json.load(open(sys.argv[2])); print(a==b)",
                original.path, out.path])
            #expect(result.stdoutText == "True\n", "\(label): \(result.stderrText)")
        }
    }
}

@Suite struct JSONAndDepthEdgeTests {
    @Test func jsonRejectsDeepNestingAndNonUTF8AndAcceptsABOM() throws {
        #expect(throws: YAMLError.depthLimit(file: "<memory>", at: YAMLMark(line: 1, column: 257, offset: 256), limit: 256)) {
            try JSONParser().parse(String(repeating: "[", count: 300) + String(repeating: "]", count: 300))
        }
        #expect(throws: YAMLError.notUTF8(file: "<memory>", at: YAMLMark(line: 1, column: 3, offset: 2), byte: 0xFF)) { try JSONParser().parse([0x22, 0x61, 0xFF, 0x22]) }
        let root = try #require(try JSONParser().parse([0xEF, 0xBB, 0xBF] + Array(#"{"a": 1}"#.utf8)).documents.first?.root)
        #expect(root["a"]?.int == 1)
    }

    /// The deepest tree the parser accepts can be emitted, compared and decoded without
    /// running out of stack.
    @Test func theDeepestAcceptedTreeIsUsable() throws {
        let depth = 255
        var text = ""
        for level in 0..<depth { text += String(repeating: "  ", count: level) + "k\(level):\n" }
        text += String(repeating: "  ", count: depth) + "leaf: 1\n"
        let stream = try YAMLParser().parse(text)
        for emitter in [YAMLEmitter.manifest, .sops] {
            let again = try YAMLParser().parse(emitter.emit(stream))
            #expect(again.documents.map(\.root) == stream.documents.map(\.root))
        }
        let json = try JSONEmitter.compact.emit(try #require(stream.documents.first?.root))
        #expect(try JSONParser().parse(json).documents.first?.root == stream.documents.first?.root)
    }
}
