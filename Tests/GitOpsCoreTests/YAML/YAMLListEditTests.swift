import Testing
@testable import GitOpsCore

/// The list edits `tenant add`/`tenant remove` are built on: inserting at an index, copying an
/// item's layout, clearing a list, and files that end without a line break.
@Suite struct YAMLListEditTests {
    static func edit(_ text: String, _ edits: [YAMLEdit]) throws -> String {
        try YAMLEditTests.edit(text, edits)
    }

    static let sections = """
    resources:   # sorted

      # --- teams ---
      - blue
      # orange is legacy
      - orange

    """

    @Test func insertItemGoesBelowASectionCommentButAboveAnAttachedOne() throws {
        let first = try Self.edit(Self.sections, [.insertItem(into: "resources", at: 0, item: "aaa")])
        #expect(first == Self.sections.replacingOccurrences(of: "  - blue\n", with: "  - aaa\n  - blue\n"))
        let second = try Self.edit(Self.sections, [.insertItem(into: "resources", at: 1, item: "green")])
        #expect(second == Self.sections.replacingOccurrences(of: "  # orange", with: "  - green\n  # orange"))
        let last = try Self.edit(Self.sections, [.insertItem(into: "resources", at: 2, item: "zed")])
        #expect(last == Self.sections + "  - zed\n")
        #expect(throws: YAMLError.self) { try Self.edit(Self.sections, [.insertItem(into: "resources", at: 3, item: "x")]) }
    }

    @Test(arguments: [0, 1, 2])
    func removingAnInsertedItemRestoresTheBytes(_ index: Int) throws {
        let added = try Self.edit(Self.sections, [.insertItem(into: "resources", at: index, item: "new")])
        #expect(try Self.edit(added, [.remove(YAMLPath("resources").appending(index: index))]) == Self.sections)
    }

    @Test func insertItemIntoAFlowList() throws {
        #expect(try Self.edit("resources: [b, d]\n", [.insertItem(into: "resources", at: 1, item: "c")])
                == "resources: [b, c, d]\n")
    }

    @Test func appendAndRemoveKeepAMissingFinalLineBreakMissing() throws {
        let text = "resources:\n  - a\n  - b"
        let added = try Self.edit(text, [.append(to: "resources", item: "c")])
        #expect(added == text + "\n  - c")
        #expect(try Self.edit(added, [.remove("resources[2]")]) == text)
        let crlf = try Self.edit("a: 1\r\nlist:\r\n  - x", [.append(to: "list", item: "z")])
        #expect(Array(crlf.utf8) == Array("a: 1\r\nlist:\r\n  - x\r\n  - z".utf8))
    }

    @Test func appendCopyKeepsTheLayoutAndDropsComments() throws {
        let text = """
        rules:
            # first
            -   path: 'a/.*'   # a only
                # recipients
                keys: "k1,k2"
                note: "x # not a comment"
        # end

        """
        let out = try Self.edit(text, [.appendCopy(of: "rules[0]"), .set("rules[1].path", YAMLNode(scalar: "b/.*", style: .singleQuoted))])
        #expect(out == text.replacingOccurrences(of: "# end\n", with: """
                -   path: 'b/.*'
                    keys: "k1,k2"
                    note: "x # not a comment"
            # end

            """))
        #expect(try Self.edit(out, [.remove("rules[1]")]) == text)
        #expect(throws: YAMLError.self) { try Self.edit("rules: [a]\n", [.appendCopy(of: "rules[0]")]) }
    }

    @Test func clearLeavesTheKeyWithoutAValue() throws {
        #expect(try Self.edit(Self.sections, [.clear("resources")]) == "resources:   # sorted\n\n  # --- teams ---\n")
        #expect(try Self.edit("a:\n  # x\n  - 1\nb: 2", [.clear("a")]) == "a:\nb: 2")
        #expect(try Self.edit("a:\n  b: 1\n  c: 2", [.clear("a")]) == "a:")
        #expect(throws: YAMLError.self) { try Self.edit("a: [1]\n", [.clear("a")]) }
    }
}
