import Foundation
import Testing
import TestSupport
@testable import GitOpsCore

@Suite struct YAMLParserTests {
    static let bad = TestPaths.fixtures.appendingPathComponent("yaml/bad")

    static func parseBad(_ name: String, parser: YAMLParser = YAMLParser()) throws -> YAMLError? {
        let bytes = try [UInt8](Data(contentsOf: bad.appendingPathComponent(name)))
        do {
            _ = try parser.parse(bytes, file: name)
            return nil
        } catch let error as YAMLError {
            return error
        }
    }

    @Test(arguments: [
        ("unclosed-flow.yaml", "unclosed-flow.yaml:2:2: invalid YAML: did not find expected ',' or ']' while parsing a flow sequence"),
        ("bad-indent.yaml", "bad-indent.yaml:2:4: invalid YAML: mapping values are not allowed in this context"),
        ("duplicate.yaml", "duplicate.yaml:2:1: mapping key \"a\" already defined at line 1"),
        ("undefined-alias.yaml", "undefined-alias.yaml:1:4: unknown anchor 'missing' referenced"),
        ("not-utf8.yaml", "not-utf8.yaml:1:5: not UTF-8 text (byte 0xFF at offset 4); YAML and JSON files must be UTF-8"),
    ])
    func malformedInputNamesFileLineAndColumn(name: String, message: String) throws {
        let error = try #require(try Self.parseBad(name))
        #expect(error.description == message)
    }

    static let notUTF8Cases: [([UInt8], String)] = {
        let bom: [UInt8] = [0xEF, 0xBB, 0xBF]
        let multiByte: [UInt8] = bom + Array("a: 1\nké: \"日本".utf8) + [0xC3, 0x28] + Array("\"\n".utf8)
        let utf16: [UInt8] = [0xFF, 0xFE, 0x61, 0x00, 0x3A, 0x00]
        let nested: [UInt8] = Array("a:\n  - x\n  - ".utf8) + [0x80]
        return [
            (multiByte, "f.yaml:2:8: not UTF-8 text (byte 0xC3 at offset 20); YAML and JSON files must be UTF-8"),
            (utf16, "f.yaml:1:1: not UTF-8 text (byte 0xFF at offset 0) (it looks like UTF-16; save it as UTF-8); "
                + "YAML and JSON files must be UTF-8"),
            (nested, "f.yaml:3:5: not UTF-8 text (byte 0x80 at offset 13); YAML and JSON files must be UTF-8"),
        ]
    }()

    /// The first bad byte is located by line and character column, after a BOM and
    /// multi-byte text; a UTF-16 file gets a hint.
    @Test(arguments: notUTF8Cases)
    func notUTF8NamesLineAndColumn(bytes: [UInt8], message: String) {
        do {
            _ = try YAMLParser().parse(bytes, file: "f.yaml")
            Issue.record("accepted bytes that are not UTF-8")
        } catch {
            let text: String = "\(error)"
            #expect(text == message)
        }
    }

    @Test func aliasBombStopsAtTheExpansionCap() throws {
        let error = try #require(try Self.parseBad("alias-bomb.yaml"))
        guard case let .aliasExpansionLimit(_, at, limit) = error else {
            Issue.record("expected aliasExpansionLimit, got \(error)")
            return
        }
        #expect(limit == 1_000_000)
        #expect(at.line > 1)
    }

    @Test func nestingPastTheDepthCapIsAnError() throws {
        let error = try #require(try Self.parseBad("too-deep.yaml"))
        #expect(error == .depthLimit(file: "too-deep.yaml", at: YAMLMark(line: 1, column: 257, offset: 256), limit: 256))
    }

    @Test func duplicateKeysClashAcrossQuotingStyles() throws {
        #expect(throws: YAMLError.self) { try YAMLParser().parse("a: 1\n\"a\": 2\n") }
        // Many keys take the hashed path.
        let many = (0..<20).map { "k\($0): \($0)" }.joined(separator: "\n") + "\nk7: again\n"
        #expect(throws: YAMLError.self) { try YAMLParser().parse(many) }
        #expect(throws: Never.self) { try YAMLParser().parse("a: 1\nb: {a: 2}\n") }
    }

    @Test func keysKeepSourceOrderAcrossDocuments() throws {
        let stream = try YAMLParser().parse("z: 1\na: 2\nm: 3\n---\nb: 1\na: 2\n")
        #expect(stream.documents.count == 2)
        #expect(stream.documents[0].root?.keys == ["z", "a", "m"])
        #expect(stream.documents[1].root?.keys == ["b", "a"])
    }

    @Test func accessorsReachNestedValues() throws {
        let text = """
        apiVersion: kustomize.toolkit.fluxcd.io/v1
        kind: Kustomization
        spec:
          path: ./apps
          interval: 10m
          prune: true
          dependsOn:
            - name: infra
            - name: crds
          replicas: 3
        """
        let root = try #require(try YAMLParser().parse(text).documents.first?.root)
        #expect(root["spec"]?["path"]?.string == "./apps")
        #expect(root["spec"]?["prune"]?.bool() == true)
        #expect(root["spec"]?["replicas"]?.int == 3)
        #expect(root["spec"]?["dependsOn"]?[1]?["name"]?.string == "crds")
        #expect(root["spec"]?["missing"] == nil)
        #expect(root["spec"]?["dependsOn"]?[5] == nil)
        #expect(root.keys == ["apiVersion", "kind", "spec"])
    }

    @Test func settersBuildAndChangeTreesInMemory() throws {
        var node: YAMLNode = ["kind": "Kustomization", "resources": ["a.yaml"]]
        node["apiVersion"] = "kustomize.config.k8s.io/v1beta1"
        node["resources"]?.append("b.yaml")
        node.insert("namespace", "apps", at: 0)
        node["kind"] = nil
        #expect(node.keys == ["namespace", "resources", "apiVersion"])
        #expect(YAMLEmitter.manifest.emit(node) == """
        namespace: apps
        resources:
        - a.yaml
        - b.yaml
        apiVersion: kustomize.config.k8s.io/v1beta1

        """)
        var list: YAMLNode = ["a", "b", "c"]
        list[1] = nil
        #expect(list.items.compactMap(\.string) == ["a", "c"])
    }

    /// Offsets are bytes even where libyaml counts characters (BOM, multi-byte text, CRLF).
    @Test(arguments: ["bom.yaml", "crlf.yaml", "types.yaml", "comments.yaml", "block-scalars.yaml"])
    func byteRangesPointAtTheSourceText(name: String) throws {
        let bytes = try [UInt8](Data(contentsOf: YAMLRoundTripTests.corpusDir.appendingPathComponent(name)))
        let stream = try YAMLParser().parse(bytes, file: name)
        var checked = 0
        func visit(_ node: YAMLNode) {
            switch node.content {
            case let .scalar(text):
                guard let range = node.source.byteRange, node.tag == nil, node.anchor == nil else { return }
                let slice = String(decoding: bytes[range], as: UTF8.self)
                switch node.style {
                case .plain: #expect(slice == text)
                case .doubleQuoted, .singleQuoted:
                    #expect(slice.hasPrefix(node.style == .doubleQuoted ? "\"" : "'"))
                    #expect(slice.count >= text.count)
                default: #expect(slice.hasPrefix("|") || slice.hasPrefix(">"))
                }
                checked += 1
            case let .sequence(items): items.forEach(visit)
            case let .mapping(pairs): pairs.forEach { visit($0.key); visit($0.value) }
            }
        }
        stream.documents.compactMap(\.root).forEach(visit)
        #expect(checked > 3)
    }

    @Test func positionsAreLineAndCharacterColumn() throws {
        let stream = try YAMLParser().parse("\u{FEFF}ké: 日本\nnext:\r\n  - x\n")
        let root = try #require(stream.documents.first?.root)
        let value = try #require(root["ké"])
        #expect(value.source.start == YAMLMark(line: 1, column: 5, offset: 8))
        #expect(value.source.byteRange == 8..<14)
        let item = try #require(root["next"]?[0])
        #expect(item.source.start?.line == 3)
        #expect(item.source.start?.column == 5)
        #expect(Array(stream.bytes[item.source.byteRange!]) == Array("x".utf8))
    }

    static func commentCount(_ stream: YAMLStream) -> Int {
        func lines(_ c: YAMLComments) -> Int {
            [c.head, c.line, c.foot].compactMap { $0 }.reduce(0) { $0 + $1.split(separator: "\n").count }
        }
        func count(_ node: YAMLNode) -> Int {
            switch node.content {
            case .scalar: return lines(node.comments)
            case let .sequence(items): return lines(node.comments) + items.reduce(0) { $0 + count($1) }
            case let .mapping(pairs):
                return lines(node.comments) + pairs.reduce(0) { $0 + count($1.key) + count($1.value) }
            }
        }
        return stream.documents.reduce(0) { total, document in
            total + lines(document.comments) + (document.commentsBeforeStart?.split(separator: "\n").count ?? 0)
                + (document.root.map(count) ?? 0)
        }
    }

    /// Every YAML file the project ships or shares must be readable.
    @Test func everySharedAndExampleYAMLFileParses() throws {
        var files: [URL] = []
        for root in [TestPaths.shared, TestPaths.examples] {
            guard let walker = FileManager.default.enumerator(at: root, includingPropertiesForKeys: nil) else { continue }
            for case let url as URL in walker where ["yaml", "yml"].contains(url.pathExtension) {
                files.append(url)
            }
        }
        #expect(files.count > 20)
        for url in files {
            let bytes = try [UInt8](Data(contentsOf: url))
            let stream: YAMLStream
            do {
                stream = try YAMLParser().parse(bytes, file: url.path)
            } catch {
                Issue.record("\(error)")
                continue
            }
            // Re-emitting keeps the data and every comment line.
            let emitted = YAMLEmitter.manifest.emit(stream)
            let again = try YAMLParser().parse(emitted, file: url.path + " (emitted)")
            #expect(again.documents.map(\.root) == stream.documents.map(\.root), "\(url.path)")
            #expect(Self.commentCount(again) == Self.commentCount(stream), "\(url.path)\n\(emitted)")
        }
    }
}

@Suite struct YAMLStreamingTests {
    @Test func documentsArriveOneAtATimeWithTheirComments() throws {
        let text = "# one\na: 1\n---\n# two\nb: 2\n# end of two\n---\nc: 3\n# trailing\n"
        var seen: [YAMLDocument] = []
        try YAMLParser().parseDocuments(Array(text.utf8)) { seen.append($0) }
        let whole = try YAMLParser().parse(text)
        #expect(seen.count == 3)
        #expect(seen.map(\.root) == whole.documents.map(\.root))
        #expect(seen[1].root?.entries.first?.key.comments.head == "# two")
        #expect(seen[1].comments.foot == "# end of two")
        #expect(seen[2].comments.foot == "# trailing")
        #expect(YAMLEmitter.manifest.emit(seen) == text)
    }

    @Test func anErrorStopsTheStreamAfterTheGoodDocuments() throws {
        var seen = 0
        #expect(throws: YAMLError.self) {
            try YAMLParser().parseDocuments(Array("a: 1\n---\nb: [\n".utf8)) { _ in seen += 1 }
        }
        #expect(seen <= 1)
    }
}

@Suite struct YAMLEmptyInputTests {
    @Test(arguments: ["", "\n", "---\n", "# c\n", "\u{FEFF}"])
    func emptyAndTrivialInputsParse(text: String) throws {
        let stream = try YAMLParser().parse(text)
        #expect(stream.documents.allSatisfy { $0.root == nil || $0.root?.isNull == true })
    }
}
