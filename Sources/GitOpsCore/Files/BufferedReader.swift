/// A source with a look-ahead buffer: line-oriented reads for headers, then plain reads that
/// drain the buffer before going to the underlying source directly.
final class BufferedReader: ByteSource {
    /// One line read by `readLine`.
    enum Line {
        /// The bytes without the line feed; `terminated` is false for a last line without one.
        case line([UInt8], terminated: Bool)
        /// The limit was reached before a line feed.
        case tooLong
        case endOfInput
    }

    private let source: ByteSource
    private var buffer: [UInt8]
    private var start = 0
    private var end = 0
    private var reachedEnd = false

    init(_ source: ByteSource, capacity: Int = 64 * 1024) {
        self.source = source
        buffer = [UInt8](repeating: 0, count: capacity)
    }

    /// Reads more input into the buffer; false when the source is exhausted.
    private func fill() throws -> Bool {
        if reachedEnd { return false }
        if start > 0 {
            moveToFront(&buffer, from: start..<end)
            end -= start
            start = 0
        }
        if end == buffer.count { buffer.append(contentsOf: [UInt8](repeating: 0, count: buffer.count)) }
        let n = try source.read(into: &buffer, at: end, count: buffer.count - end)
        if n == 0 { reachedEnd = true; return false }
        end += n
        return true
    }

    /// Up to `count` bytes without consuming them.
    func peek(_ count: Int) throws -> [UInt8] {
        while end - start < count, try fill() {}
        return Array(buffer[start..<min(end, start + count)])
    }

    func readLine(maxLength: Int) throws -> Line {
        try withLine(maxLength: maxLength) { buffer, range, terminated in
            .line(Array(buffer[range]), terminated: terminated)
        }
    }

    /// Like `readLine`, but hands `body` the line in place (the buffer and the line's range,
    /// without the line feed) instead of copying it: the armor decoder's per-line path.
    func withLine(maxLength: Int, _ body: ([UInt8], Range<Int>, Bool) throws -> Line) throws -> Line {
        var scanned = start
        while true {
            if let newline = buffer[scanned..<end].firstIndex(of: UInt8(ascii: "\n")) {
                guard newline - start <= maxLength else { return .tooLong }
                let range = start..<newline
                start = newline + 1
                return try body(buffer, range, true)
            }
            if end - start > maxLength { return .tooLong }
            scanned = end - start
            let more = try fill()
            scanned += start
            if !more {
                guard end > start else { return .endOfInput }
                let range = start..<end
                start = end
                return try body(buffer, range, false)
            }
        }
    }

    func read(into target: inout [UInt8], at offset: Int, count: Int) throws -> Int {
        if start < end {
            let n = min(count, end - start)
            target.withUnsafeMutableBytes { t in
                buffer.withUnsafeBytes { b in
                    t.baseAddress!.advanced(by: offset).copyMemory(from: b.baseAddress!.advanced(by: start), byteCount: n)
                }
            }
            start += n
            return n
        }
        if reachedEnd { return 0 }
        return try source.read(into: &target, at: offset, count: count)
    }
}
