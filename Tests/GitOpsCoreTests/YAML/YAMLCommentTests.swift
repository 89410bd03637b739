import Foundation
import Testing
@testable import GitOpsCore

/// Where recovered comments land, and that the manifest emitter writes them back in place.
@Suite struct YAMLCommentTests {
    /// Inputs already in the manifest emitter's layout: parse → emit must give them back unchanged.
    @Test(arguments: [
        "# head of a\na: 1\n",
        "# document head\n\na: 1\n",
        "a: 1 # line\nb: 2\n",
        "a: # on the key\n  b: 1\n",
        "a:\n  b: 1\n  # foot of b\nc: 2\n",
        "list:\n# head of x\n- x # line of x\n- y\n",
        "list:\n- name: a # line\n  # head of value\n  value: 1\n",
        "a: |- # header comment\n  text\nb: 1\n",
        "a: 1\n# foot of the document\n",
        "# only a comment\n",
        "a: \"quoted # not a comment\"\nb: 'x #y'\nc: plain#notcomment\n",
        "a:\n  b:\n    c: 1\n    # foot of c\n  # foot of b\n# head of d\nd: 2\n",
    ])
    func manifestEmitterKeepsCommentsInPlace(text: String) throws {
        let stream = try YAMLParser().parse(text)
        #expect(YAMLEmitter.manifest.emit(stream) == text)
    }

    @Test func commentsAttachToTheExpectedNodes() throws {
        let stream = try YAMLParser().parse("""
        # doc

        # head of a
        a: 1 # line of a
        b:
          - x # line of x
          # foot of x
        # foot
        """)
        let document = try #require(stream.documents.first)
        let root = try #require(document.root)
        #expect(document.comments.head == "# doc")
        #expect(root.entries[0].key.comments.head == "# head of a")
        #expect(root.entries[0].key.comments.line == "# line of a")
        #expect(root["b"]?[0]?.comments.line == "# line of x")
        #expect(root["b"]?[0]?.comments.foot == "# foot of x")
        #expect(document.comments.foot == "# foot")
    }

    @Test func flowCollectionsWithCommentsAreWrittenAsBlocks() throws {
        let stream = try YAMLParser().parse("list: [\n  a, # first\n  b\n]\nplain: [x, y]\n")
        #expect(YAMLEmitter.manifest.emit(stream) == "list:\n- a # first\n- b\nplain: [x, y]\n")
    }

    @Test func hashesInsideScalarsAreNotComments() throws {
        let stream = try YAMLParser().parse("a: \"x # y\"\nb: |\n  # inside\nc: u#v\n")
        let root = try #require(stream.documents.first?.root)
        #expect(root.entries.allSatisfy { $0.key.comments.isEmpty && $0.value.comments.isEmpty })
        #expect(root["b"]?.string == "# inside\n")
    }

    @Test func sopsEmitterTagsMergeKeysAsGoYAMLDoes() throws {
        let stream = try YAMLParser().parse("base: &b {x: 1}\nuse:\n  <<: *b\n  y: 2\n")
        #expect(YAMLEmitter.sops.emit(stream) == "base:\n    x: 1\nuse:\n    !!merge <<:\n        x: 1\n    y: 2\n")
        #expect(YAMLEmitter.manifest.emit(stream) == "base: &b {x: 1}\nuse:\n  <<: *b\n  y: 2\n")
    }

    @Test func mergeKeysResolveForTheYAML11View() throws {
        let root = try #require(try YAMLParser().parse("""
        base: &base {image: nginx, replicas: 1}
        extra: &extra {port: 80, replicas: 5}
        app:
          <<: [*base, *extra]
          replicas: 3
        """).documents.first?.root)
        #expect(root["app"]?.keys == ["<<", "replicas"])
        let merged = try #require(root.resolvingMergeKeys()["app"])
        #expect(merged.keys == ["image", "port", "replicas"])
        #expect(merged["replicas"]?.int == 3)
    }
}

@Suite struct YAMLAliasTests {
    @Test func aliasesAreWrittenBackOnlyWhileTheCopyIsUnchanged() throws {
        var stream = try YAMLParser().parse("base: &b\n  x: 1\ncopy: *b\n")
        #expect(stream.documents[0].root?["copy"]?.alias == "b")
        #expect(YAMLEmitter.manifest.emit(stream) == "base: &b\n  x: 1\ncopy: *b\n")
        stream.documents[0].root?["copy"]?["x"] = 2
        #expect(YAMLEmitter.manifest.emit(stream) == "base: &b\n  x: 1\ncopy:\n  x: 2\n")
    }
}
