import Foundation
import Testing
import TestSupport
@testable import GitOpsCore

/// The unified diff agrees with GNU `diff -u` line for line (after its two header lines).
@Suite struct UnifiedDiffTests {
    static let numbered = (1...40).map { "line \($0)\n" }.joined()

    static let cases: [(String, String, String)] = [
        ("insert in the middle", "a\nb\nc\nd\ne\nf\ng\n", "a\nb\nc\nX\nd\ne\nf\ng\n"),
        ("delete at the start", "a\nb\nc\nd\ne\n", "b\nc\nd\ne\n"),
        ("change at the end", "a\nb\nc\nd\ne\n", "a\nb\nc\nd\nE\n"),
        ("two far-apart hunks", numbered, numbered.replacingOccurrences(of: "line 5\n", with: "five\n")
            .replacingOccurrences(of: "line 30\n", with: "thirty\nthirty-one\n")),
        ("two close changes in one hunk", numbered, numbered.replacingOccurrences(of: "line 5\n", with: "")
            .replacingOccurrences(of: "line 10\n", with: "ten\n")),
        ("newline added at the end", "a\nb", "a\nb\n"),
        ("line appended without newline", "a\nb\n", "a\nb\nc"),
        ("everything replaced", "a\nb\n", "c\nd\ne\n"),
        ("from empty", "", "a\nb\n"),
    ]

    @Test(arguments: cases.map(\.0))
    func matchesGNUDiff(_ name: String) throws {
        try #require(ProcessRunner.has(tool: "diff"))
        let (_, old, new) = try #require(Self.cases.first { $0.0 == name })
        let directory = try TemporaryDirectory()
        let a = try directory.write("old", old), b = try directory.write("new", new)
        let gnu = try ProcessRunner.run(tool: "diff", ["-u", "--label", "a/f", "--label", "b/f", a.path, b.path])
        #expect(gnu.status == 1)
        #expect(UnifiedDiff().render(path: "f", old: old, new: new) == gnu.stdoutText)
    }

    @Test func createdAndDeletedFilesUseDevNull() {
        #expect(UnifiedDiff().render(path: "f", old: nil, new: "a\n") == "--- /dev/null\n+++ b/f\n@@ -0,0 +1 @@\n+a\n")
        #expect(UnifiedDiff().render(path: "f", old: "a\nb\n", new: nil) == "--- a/f\n+++ /dev/null\n@@ -1,2 +0,0 @@\n-a\n-b\n")
        #expect(UnifiedDiff().render(path: "f", old: nil, new: "") == "--- /dev/null\n+++ b/f\n")
        #expect(UnifiedDiff().render(path: "f", old: "same\n", new: "same\n") == "")
    }

    @Test func largeFileWithOneChangeGivesOneSmallHunk() {
        let old = (1...20_000).map { "object \($0)\n" }.joined()
        let new = old.replacingOccurrences(of: "object 12345\n", with: "object 12345 changed\n")
        let diff = UnifiedDiff().render(path: "gotk-components.yaml", old: old, new: new)
        #expect(diff.split(separator: "\n").count == 11)
        #expect(diff.contains("@@ -12342,7 +12342,7 @@\n"))
    }
}
