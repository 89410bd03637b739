import Testing
@testable import GitOpsCore

/// Parsed collections keep their children in their document's arena (issue 3's memory
/// budget); these check that reading, changing, aliasing and freeing them behave exactly as
/// collections with arrays of their own.
struct YAMLNodeArenaTests {
    private let yaml = """
        # head
        base: &b
          name: web
          ports: [80, 443]
        copy: *b
        list: !custom
        - one
        - {two: 2}
        tail: end

        """

    private func root(_ text: String) throws -> YAMLNode {
        try #require(try YAMLParser().parse(text).documents.first?.root)
    }

    private func text(_ node: YAMLNode, in source: String) throws -> String {
        let range = try #require(node.source.byteRange)
        return String(decoding: Array(source.utf8)[range], as: UTF8.self)
    }

    @Test func parsedCollectionsAreReadInPlaceWithTheirRanges() throws {
        let root = try root(yaml)
        // The head comment went onto the first key, so the root got arrays of its own; the
        // anchored `base` carries its anchor next to a copy of its entries.
        #expect(root.arena == nil)
        let base = try #require(root["base"])
        #expect(base.arena == nil && base["ports"]?.arena != nil)
        #expect(try self.root("a: {b: [1]}\n").arena != nil)
        #expect(try text(base, in: yaml) == "&b\n  name: web\n  ports: [80, 443]\n")
        #expect(try text(#require(base["ports"]), in: yaml) == "[80, 443]")
        #expect(base["ports"]?.style == .flow)
        #expect(base.source.start?.description == "2:7")
        #expect(root.keys == ["base", "copy", "list", "tail"])
        #expect(root.index(ofKey: "list") == 2)
        #expect(root["list"]?[1]?["two"]?.int == 2)
    }

    @Test func aliasOfACollectionIsACopyAtTheAlias() throws {
        let root = try root(yaml)
        let base = try #require(root["base"]), copy = try #require(root["copy"])
        #expect(copy == base)
        #expect(base.anchor == "b" && base.alias == nil)
        #expect(copy.alias == "b" && copy.anchor == nil)
        #expect(try text(copy, in: yaml) == "*b")
        #expect(copy.source.start?.description == "5:7")
        // Its children keep the anchor's positions.
        #expect(copy["name"]?.source.start?.description == "3:9")
        let emitted = YAMLEmitter.manifest.emit(try YAMLParser().parse(yaml))
        #expect(emitted.contains("base: &b\n") && emitted.contains("copy: *b\n"))
    }

    @Test func taggedCollectionKeepsItsTag() throws {
        let list = try #require(try root(yaml)["list"])
        #expect(list.tag == "!custom")
        #expect(list.items.map(\.isMapping) == [false, true])
        #expect(YAMLEmitter.manifest.emit(try YAMLParser().parse(yaml)).contains("list: !custom\n"))
    }

    @Test func changingAParsedCollectionKeepsItsSourceRange() throws {
        let root = try root(yaml)
        var base = try #require(root["base"])
        let before = base.source
        base["name"] = "api"
        #expect(base.arena == nil)
        #expect(base.source == before)
        #expect(base["name"]?.string == "api")
        #expect(base["ports"]?.items.compactMap(\.int) == [80, 443])

        var ports = try #require(root["base"]?["ports"])
        let portsBefore = ports.source
        ports.style = .block
        #expect(ports.source == portsBefore)
        ports.comments.line = "# changed"
        #expect(ports.source == portsBefore && ports.comments.line == "# changed")
        #expect(ports.items.compactMap(\.int) == [80, 443])
        // The original document is unchanged.
        #expect(root["base"]?["name"]?.string == "web")
    }

    @Test func surgicalEditsStillSpliceAtParsedRanges() throws {
        let stream = try YAMLParser().parse(yaml)
        let set = try stream.applying([.set(YAMLPath("base.name"), "api")])
        #expect(String(decoding: set, as: UTF8.self) == yaml.replacingOccurrences(of: "name: web", with: "name: api"))
        let appended = try stream.applying([.append(to: YAMLPath("list"), item: "three")])
        #expect(String(decoding: appended, as: UTF8.self) == yaml.replacingOccurrences(of: "- {two: 2}\n", with: "- {two: 2}\n- three\n"))
    }

    @Test func aSubtreeOutlivesItsStreamAndADocumentFreesItsArena() throws {
        weak var arena: YAMLNodeArena?
        var kept: YAMLNode?
        do {
            let stream = try YAMLParser().parse("base:\n  ports: [80, 443]\nother: [x]\n")
            arena = stream.documents.first?.root?.arena
            #expect(arena != nil)
            kept = stream.documents.first?.root?["base"]
        }
        // The subtree holds the arena...
        #expect(arena != nil)
        #expect(kept?["ports"]?[1]?.int == 443)
        kept = nil
        // ...and nothing else does: the arena's own nodes do not reference it.
        #expect(arena == nil)
    }

    @Test func streamedDocumentsEachGetTheirOwnArena() throws {
        var arenas: [ObjectIdentifier] = []
        try YAMLParser().parseDocuments(Array("a: [1]\n---\nb: {c: 2}\n---\nplain\n".utf8)) { document in
            if let arena = document.root?.arena { arenas.append(ObjectIdentifier(arena)) }
        }
        #expect(arenas.count == 2)
        #expect(Set(arenas).count == 2)
    }
}

/// `node["key"]` compares keys in place; every way a key can be written must still be found.
struct YAMLKeyLookupTests {
    @Test(arguments: [
        ("plain: 1\n", "plain"),
        ("\"quoted\": 1\n", "quoted"),
        ("'single': 1\n", "single"),
        ("\"tab\\there\": 1\n", "tab\there"),
        ("\"\": 1\n", ""),
        ("? |\n  block\n: 1\n", "block\n"),
        ("héllo: 1\n", "héllo"),
        ("{flow: 1}\n", "flow"),
    ])
    func keyIsFound(yaml: String, key: String) throws {
        let root = try #require(try YAMLParser().parse(yaml).documents.first?.root)
        #expect(root[key]?.int == 1)
        #expect(root[key + "x"] == nil)
        #expect(root[String(key.dropLast())] == nil || key.isEmpty)
        #expect(root.index(ofKey: key) == 0)
        var built = YAMLNode(mapping: [YAMLPair(key, 1)])
        #expect(built[key]?.int == 1)
        built[key] = 2
        #expect(built[key]?.int == 2 && built.entries.count == 1)
    }

    @Test func firstOfDifferentlyWrittenKeysAndNonMappings() throws {
        let root = try #require(try YAMLParser().parse("a: 1\nb: [x]\nc: !t {d: 2}\n").documents.first?.root)
        #expect(root["b"]?["x"] == nil)
        #expect(root["a"]?["a"] == nil)
        #expect(root["c"]?["d"]?.int == 2)
        #expect(root.nodeCount == 10)
    }
}

/// Keys are stored in 12 bytes when they can be; every other key is kept whole. Both must read
/// back with their text, style, position and properties.
struct YAMLCompactKeyTests {
    private func root(_ text: String) throws -> YAMLNode {
        try #require(try YAMLParser().parse(text).documents.first?.root)
    }

    @Test func compactKeysKeepStylePositionAndQuotes() throws {
        let text = "top:\n  'single': 1\n  \"double\": 2\n  plain: 3\n"
        let top = try #require(try root(text)["top"])
        let keys = top.entries.map(\.key)
        #expect(keys.map(\.scalar) == ["single", "double", "plain"])
        #expect(keys.map(\.style) == [.singleQuoted, .doubleQuoted, .plain])
        #expect(keys.map { $0.source.start?.description } == ["2:3", "3:3", "4:3"])
        #expect(keys.map { $0.source.byteRange?.count } == [8, 8, 5])
        #expect(YAMLEmitter.manifest.emit(try YAMLParser().parse(text)) == text)
    }

    @Test func keysThatDoNotFitAreKeptWhole() throws {
        let long = String(repeating: "k", count: 5000)
        // libyaml takes a key over 1024 characters only after `?`.
        let text = "&anchored a: 1\n!!str 2: two\n\"esc\\taped\": 3\n? \(long)\n: 4\n? [x, y]\n: 5\n"
        let longStart = try #require(text.utf8.firstIndex(of: UInt8(ascii: "k"))).utf16Offset(in: text)
        let root = try root(text)
        let keys = root.entries.map(\.key)
        #expect(keys[0].anchor == "anchored" && keys[0].scalar == "a")
        #expect(keys[1].tag == "!!str" && root["2"]?.scalar == "two")
        #expect(root["esc\taped"]?.int == 3)
        #expect(root[long]?.int == 4 && keys[3].source.byteRange == longStart ..< longStart + 5000)
        #expect(keys[4].isSequence && root.entries[4].value.int == 5)
        #expect(try YAMLParser().parse(YAMLEmitter.manifest.emit(try YAMLParser().parse(text))).documents.first?.root == root)
    }

    @Test func aKeyPastAMillionColumnsKeepsItsColumn() throws {
        let text = "{" + String(repeating: " ", count: 1_100_000) + "far: 1, near: 2}\n"
        let root = try root(text)
        #expect(root["far"]?.int == 1 && root["near"]?.int == 2)
        #expect(root.entries.first?.key.source.start?.column == 1_100_002)
    }
}
