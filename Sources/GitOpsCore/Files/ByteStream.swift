/// Where bytes come from, in chunks the caller chooses: a file descriptor, memory, or a decoder
/// layered on another source (age armor). Used by every streaming reader in the project so
/// large files never have to fit in memory.
public protocol ByteSource: AnyObject {
    /// Reads up to `count` bytes into `buffer[offset...]`; returns 0 only at end of input.
    func read(into buffer: inout [UInt8], at offset: Int, count: Int) throws -> Int
}

/// Where bytes go: a file descriptor, an atomic file, memory, or an encoder layered on
/// another sink.
public protocol ByteSink: AnyObject {
    func write(_ buffer: [UInt8], _ range: Range<Int>) throws
    /// Called once when everything has been written (flushes encoders such as armor).
    func finish() throws
}

extension ByteSink {
    public func write(_ bytes: [UInt8]) throws { try write(bytes, 0..<bytes.count) }
    public func finish() throws {}
}

extension ByteSource {
    /// Fills `buffer[offset..<offset+count]` unless the input ends first; returns the bytes read.
    public func readFully(into buffer: inout [UInt8], at offset: Int, count: Int) throws -> Int {
        var total = 0
        while total < count {
            let n = try read(into: &buffer, at: offset + total, count: count - total)
            if n == 0 { break }
            total += n
        }
        return total
    }
}

/// Bytes held in memory, read from the front.
public final class MemorySource: ByteSource {
    private let bytes: [UInt8]
    private var position = 0

    public init(_ bytes: [UInt8]) { self.bytes = bytes }

    public func read(into buffer: inout [UInt8], at offset: Int, count: Int) throws -> Int {
        let n = min(count, bytes.count - position)
        guard n > 0 else { return 0 }
        buffer.replaceSubrange(offset..<offset + n, with: bytes[position..<position + n])
        position += n
        return n
    }
}

/// Collects everything written, in memory.
public final class MemorySink: ByteSink {
    public private(set) var bytes: [UInt8] = []

    public init() {}

    public func write(_ buffer: [UInt8], _ range: Range<Int>) throws {
        bytes.append(contentsOf: buffer[range])
    }
}

/// Moves `buffer[range]` to the front of `buffer` (the regions may overlap), so a streaming
/// loop can keep a partial chunk without allocating.
func moveToFront(_ buffer: inout [UInt8], from range: Range<Int>) {
    guard range.lowerBound > 0, !range.isEmpty else { return }
    buffer.withUnsafeMutableBytes { raw in
        raw.baseAddress!.copyMemory(from: raw.baseAddress!.advanced(by: range.lowerBound), byteCount: range.count)
    }
}

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
