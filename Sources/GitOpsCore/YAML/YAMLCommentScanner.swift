/// A comment found in the source text: libyaml skips comments, so they are recovered from
/// the bytes between tokens (every `#` that is outside a scalar and starts a word).
struct YAMLSourceComment {
    var offset: Int
    var line: Int
    var column: Int
    /// The comment from `#` to the end of its line, trailing CR removed.
    var text: String
    /// Nothing but blanks before it on its line.
    var isFullLine: Bool
}

/// Byte offsets of line starts, for turning offsets into line numbers. It covers one window
/// of the source (a document's), so the table stays as small as a document; an offset outside
/// the window is counted directly.
struct YAMLLineTable {
    private let bytes: [UInt8]
    /// Starts of the lines from the one holding the window's start to the window's end.
    private var starts: [Int]
    /// The 1-based line number of `starts[0]`.
    private let firstLine: Int
    private let coveredEnd: Int

    /// The whole of `bytes`.
    init(_ bytes: [UInt8]) {
        self.init(bytes, window: 0..<bytes.count, lineBreaksBefore: 0)
    }

    /// `window` of `bytes`, given how many line breaks precede it.
    init(_ bytes: [UInt8], window: Range<Int>, lineBreaksBefore: Int) {
        self.bytes = bytes
        let end = min(window.upperBound, bytes.count)
        var start = min(window.lowerBound, end)
        while start > 0 && bytes[start - 1] != 0x0A { start -= 1 }
        var starts = [start]
        for i in start..<end where bytes[i] == 0x0A { starts.append(i + 1) }
        self.starts = starts
        firstLine = lineBreaksBefore + 1
        coveredEnd = end
    }

    /// How many line breaks `bytes[range]` holds.
    static func lineBreaks(in bytes: [UInt8], _ range: Range<Int>) -> Int {
        bytes.withUnsafeBufferPointer { b in
            var count = 0
            for i in range where b[i] == 0x0A { count += 1 }
            return count
        }
    }

    /// 1-based line of a byte offset.
    func line(of offset: Int) -> Int {
        guard let first = starts.first, offset >= first, offset <= coveredEnd else {
            let end = max(0, min(offset, bytes.count))
            return Self.lineBreaks(in: bytes, 0..<end) + 1
        }
        var low = 0, high = starts.count - 1
        while low < high {
            let mid = (low + high + 1) / 2
            if starts[mid] <= offset { low = mid } else { high = mid - 1 }
        }
        return firstLine + low
    }

    func lineStart(of offset: Int) -> Int {
        var start = max(0, min(offset, bytes.count))
        while start > 0 && bytes[start - 1] != 0x0A { start -= 1 }
        return start
    }
}

enum YAMLCommentScanner {
    /// The comments starting in `window` of `bytes`, skipping `#` inside `excluded` byte ranges (sorted by start).
    static func comments(in bytes: [UInt8], window: Range<Int>, excluding excluded: [Range<Int>],
                         lines: YAMLLineTable) -> [YAMLSourceComment] {
        var result: [YAMLSourceComment] = []
        var rangeIndex = 0
        var i = window.lowerBound
        let n = min(window.upperBound, bytes.count)
        while i < n {
            guard bytes[i] == UInt8(ascii: "#") else { i += 1; continue }
            while rangeIndex < excluded.count && excluded[rangeIndex].upperBound <= i { rangeIndex += 1 }
            if rangeIndex < excluded.count && excluded[rangeIndex].contains(i) {
                i = excluded[rangeIndex].upperBound
                continue
            }
            let previous: UInt8 = i > 0 ? bytes[i - 1] : 0x0A
            guard previous == 0x20 || previous == 0x09 || previous == 0x0A || previous == 0x0D || previous == 0xBF else {
                i += 1
                continue
            }
            var end = i
            while end < bytes.count && bytes[end] != 0x0A && bytes[end] != 0x0D { end += 1 }
            let lineStart = lines.lineStart(of: i)
            let before = bytes[lineStart..<i]
            let isFullLine = before.allSatisfy { $0 == 0x20 || $0 == 0x09 || $0 == 0xEF || $0 == 0xBB || $0 == 0xBF }
            let column = String(decoding: before, as: UTF8.self).unicodeScalars.count + 1
            result.append(YAMLSourceComment(offset: i, line: lines.line(of: i), column: column,
                                            text: String(decoding: bytes[i..<end], as: UTF8.self),
                                            isFullLine: isFullLine))
            i = end
        }
        return result
    }
}
