import Testing
@testable import GitOpsCore

/// Parsed scalars share the stream's bytes and nodes are packed to keep a 10 MB stream's
/// whole-file peak under budget (issue 3); these check the text stays right when what locates
/// it changes.
struct YAMLNodeStorageTests {
    private func value(_ stream: YAMLStream, _ key: String, document: Int = 0) -> YAMLNode? {
        guard case let .mapping(pairs)? = stream.documents[document].root?.content else { return nil }
        return pairs.first { $0.key.scalar == key }?.value
    }

    @Test func nodeStaysPacked() {
        #expect(MemoryLayout<YAMLNode>.stride == 24)
        #expect(MemoryLayout<YAMLPair>.stride == 48)
    }

    @Test(arguments: [
        ("plain: hello world\n", "plain", "hello world"),
        ("double: \"x: y\"\n", "double", "x: y"),
        ("single: 'it''s'\n", "single", "it's"),
        ("escaped: \"a\\tb\\u00e9\"\n", "escaped", "a\tb\u{e9}"),
        ("folded: one\n  two\n", "folded", "one two"),
        ("literal: |\n  line\n", "literal", "line\n"),
        ("empty:\n", "empty", ""),
        ("unicode: \"héllo ✓\"\n", "unicode", "héllo ✓"),
    ])
    func parsedScalarText(yaml: String, key: String, expected: String) throws {
        let stream = try YAMLStream(yaml: yaml)
        #expect(value(stream, key)?.scalar == expected)
    }

    @Test func textSurvivesStyleSourceAndCommentChanges() throws {
        let stream = try YAMLStream(yaml: "a: \"quoted text\"\nb: plain text\nc: &x anchored\nd: *x\nn: 42\n")
        var a = try #require(value(stream, "a"))
        a.style = .plain
        #expect(a.scalar == "quoted text")
        a.style = .singleQuoted
        #expect(a.scalar == "quoted text")

        var b = try #require(value(stream, "b"))
        b.style = .doubleQuoted
        #expect(b.scalar == "plain text")

        var number = try #require(value(stream, "n"))
        #expect(number == YAMLNode(scalar: "42"))
        number.style = .doubleQuoted
        #expect(number.scalar == "42")
        #expect(number != YAMLNode(scalar: "42"))

        var commented = try #require(value(stream, "b"))
        commented.comments = YAMLComments(line: "# note")
        #expect(commented.scalar == "plain text")
        #expect(commented.comments.line == "# note")
        commented.comments = YAMLComments()
        #expect(commented.scalar == "plain text")
        #expect(commented.extras == nil)

        let d = try #require(value(stream, "d"))
        #expect(d.scalar == "anchored")
        #expect(d.alias == "x")
        #expect(d.source.start?.line == 4)
    }

    @Test func settingContentReplacesSharedText() throws {
        let stream = try YAMLStream(yaml: "a: one\n")
        var node = try #require(value(stream, "a"))
        node.content = .scalar("two")
        #expect(node.scalar == "two")
        node.tag = "!!str"
        node.content = .scalar("three")
        #expect(node.scalar == "three")
        #expect(node.tag == "!!str")
    }

    @Test func jsonScalarsWithAndWithoutEscapes() throws {
        let stream = try JSONParser().parse(Array(#"{"plain": "text", "escaped": "a\"b\n", "n": 12.5, "t": true}"#.utf8))
        #expect(value(stream, "plain")?.scalar == "text")
        #expect(value(stream, "escaped")?.scalar == "a\"b\n")
        #expect(value(stream, "n")?.scalar == "12.5")
        #expect(value(stream, "t")?.scalar == "true")
    }

    @Test func documentCommentsAreSetIndependently() {
        var document = YAMLDocument(root: nil)
        #expect(document.comments.isEmpty && document.commentsBeforeStart == nil)
        document.commentsBeforeStart = "# before"
        document.comments.head = "# head"
        #expect(document.commentsBeforeStart == "# before")
        #expect(document.comments.head == "# head")
        document.commentsBeforeStart = nil
        #expect(document.comments.head == "# head")
    }

    @Test func windowLineTableMatchesWholeFile() {
        let bytes = Array("a: 1\n# one\n---\nb: 2 # two\n\nc:\n  - 3\n".utf8)
        let whole = YAMLLineTable(bytes)
        let breaks = YAMLLineTable.lineBreaks(in: bytes, 0..<17)
        let window = YAMLLineTable(bytes, window: 17..<30, lineBreaksBefore: breaks)
        for offset in 0...bytes.count {
            #expect(window.line(of: offset) == whole.line(of: offset), "offset \(offset)")
            #expect(window.lineStart(of: offset) == whole.lineStart(of: offset), "offset \(offset)")
        }
    }

    @Test func commentsOfLaterDocumentsKeepTheirPlace() throws {
        var text = ""
        for i in 1...40 {
            text += "---\n# head \(i)\nkey\(i): value # line \(i)\nlist:\n- a\n- b # item \(i)\n"
        }
        let stream = try YAMLStream(yaml: text)
        #expect(stream.documents.count == 40)
        for (index, document) in stream.documents.enumerated() {
            let i = index + 1
            guard case let .mapping(pairs)? = document.root?.content, pairs.count == 2,
                  case let .sequence(items) = pairs[1].value.content, items.count == 2 else {
                Issue.record("document \(i) has the wrong shape")
                continue
            }
            let comments = pairs[0].key.comments.head ?? document.comments.head
            #expect(comments == "# head \(i)")
            #expect(pairs[0].key.comments.line == "# line \(i)" || pairs[0].value.comments.line == "# line \(i)")
            #expect(items[1].comments.line == "# item \(i)")
        }
        #expect(YAMLEmitter.manifest.emit(stream) == text)
    }

    @Test func documentCountEstimateCoversEveryDocument() {
        #expect(YAMLParser.estimatedDocumentCount(Array("a: 1\n---\nb: 2\n--- x\n".utf8)) >= 3)
        #expect(YAMLParser.estimatedDocumentCount([]) >= 1)
    }
}
