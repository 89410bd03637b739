/// A unified diff (`diff -u` / `git diff` format) between two texts, for `--dry-run` previews.
/// Lines are compared whole; the edit script is Myers' shortest one, so large files with small
/// changes (a regenerated gotk-components.yaml) diff quickly.
public struct UnifiedDiff: Sendable {
    /// Unchanged lines shown around each change.
    public var context: Int

    public init(context: Int = 3) {
        self.context = context
    }

    /// The diff of `old` → `new` labelled `a/path`, `b/path` as git labels them; `nil` old or
    /// new text is a created or deleted file (`/dev/null`). Empty when the texts are equal.
    public func render(path: String, old: String?, new: String?) -> String {
        let oldLines = Self.lines(old ?? ""), newLines = Self.lines(new ?? "")
        let edits = Self.editScript(oldLines.map(\.text), newLines.map(\.text), oldLines, newLines)
        // A created or deleted empty file has no lines to show but is still a change.
        guard edits.contains(where: { $0.kind != .keep }) || (old == nil) != (new == nil) else { return "" }
        var out = "--- " + (old == nil ? "/dev/null" : "a/" + path) + "\n"
        out += "+++ " + (new == nil ? "/dev/null" : "b/" + path) + "\n"
        for hunk in hunks(edits) {
            out += hunk.header + "\n"
            for edit in hunk.edits {
                let line = edit.kind == .insert ? newLines[edit.newIndex] : oldLines[edit.oldIndex]
                out += String(edit.kind.marker) + line.text + "\n"
                if !line.endsWithNewline { out += "\\ No newline at end of file\n" }
            }
        }
        return out
    }

    // MARK: lines

    struct Line: Equatable {
        var text: String
        var endsWithNewline: Bool
    }

    static func lines(_ text: String) -> [Line] {
        guard !text.isEmpty else { return [] }
        var parts = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let final = parts.last == ""
        if final { parts.removeLast() }
        return parts.enumerated().map { Line(text: $0.element, endsWithNewline: final || $0.offset < parts.count - 1) }
    }

    // MARK: edit script

    struct Edit: Equatable {
        enum Kind: Equatable {
            case keep, delete, insert
            var marker: Character { self == .keep ? " " : (self == .delete ? "-" : "+") }
        }
        var kind: Kind
        var oldIndex: Int
        var newIndex: Int
    }

    /// Myers' O((N+M)·D) greedy algorithm with the trace kept for backtracking.
    /// `oldLines`/`newLines` break ties on the final line's newline, which diff tools treat
    /// as a change.
    static func editScript(_ a: [String], _ b: [String], _ oldLines: [Line], _ newLines: [Line]) -> [Edit] {
        let n = a.count, m = b.count
        let maxD = n + m
        guard maxD > 0 else { return [] }
        func same(_ x: Int, _ y: Int) -> Bool { oldLines[x] == newLines[y] }
        var v = [Int](repeating: 0, count: 2 * maxD + 2)
        var trace: [[Int]] = []
        let offset = maxD + 1
        search: for d in 0...maxD {
            trace.append(v)
            for k in stride(from: -d, through: d, by: 2) {
                var x: Int
                if k == -d || (k != d && v[offset + k - 1] < v[offset + k + 1]) {
                    x = v[offset + k + 1]
                } else {
                    x = v[offset + k - 1] + 1
                }
                var y = x - k
                while x < n, y < m, same(x, y) { x += 1; y += 1 }
                v[offset + k] = x
                if x >= n && y >= m { break search }
            }
        }
        // Walk back from (n, m) through the saved frontiers.
        var edits: [Edit] = []
        var x = n, y = m
        for d in stride(from: trace.count - 1, through: 0, by: -1) {
            let v = trace[d]
            let k = x - y
            let previousK = (k == -d || (k != d && v[offset + k - 1] < v[offset + k + 1])) ? k + 1 : k - 1
            let previousX = v[offset + previousK]
            let previousY = previousX - previousK
            while x > previousX && y > previousY {
                x -= 1; y -= 1
                edits.append(Edit(kind: .keep, oldIndex: x, newIndex: y))
            }
            if d > 0 {
                if x == previousX {
                    edits.append(Edit(kind: .insert, oldIndex: x, newIndex: previousY))
                } else {
                    edits.append(Edit(kind: .delete, oldIndex: previousX, newIndex: y))
                }
            }
            x = previousX; y = previousY
        }
        return edits.reversed()
    }

    // MARK: hunks

    struct Hunk {
        var edits: [Edit]
        var header: String
    }

    func hunks(_ edits: [Edit]) -> [Hunk] {
        let changed = edits.indices.filter { edits[$0].kind != .keep }
        guard let first = changed.first else { return [] }
        // Group changes whose context windows touch or overlap.
        var groups: [(Int, Int)] = []
        var start = first, end = first
        for index in changed.dropFirst() {
            if index - end > 2 * context { groups.append((start, end)); start = index }
            end = index
        }
        groups.append((start, end))
        return groups.map { lower, upper in
            let from = max(0, lower - context), to = min(edits.count - 1, upper + context)
            let slice = Array(edits[from...to])
            let oldCount = slice.filter { $0.kind != .insert }.count
            let newCount = slice.filter { $0.kind != .delete }.count
            let oldStart = slice.first { $0.kind != .insert }.map { $0.oldIndex + 1 } ?? edits[from].oldIndex
            let newStart = slice.first { $0.kind != .delete }.map { $0.newIndex + 1 } ?? edits[from].newIndex
            // diff -u writes an empty range as `start,0` where start is the line before it.
            let header = "@@ -\(Self.range(oldStart, oldCount)) +\(Self.range(newStart, newCount)) @@"
            return Hunk(edits: slice, header: header)
        }
    }

    private static func range(_ start: Int, _ count: Int) -> String {
        count == 1 ? "\(start)" : "\(start),\(count)"
    }
}
