/// Where bytes come from, in chunks the caller chooses: a file descriptor, memory, or a decoder
/// layered on another source (age armor). Used by every streaming reader in the project so
/// large files never have to fit in memory.
public protocol ByteSource: AnyObject {
    /// Reads up to `count` bytes into `buffer[offset...]`; returns 0 only at end of input.
    func read(into buffer: inout [UInt8], at offset: Int, count: Int) throws -> Int
}

extension ByteSource {
    /// Reads into `buffer[filled...]` until the buffer is full or the input ends: the new
    /// fill level, and whether the input ended.
    func fill(_ buffer: inout [UInt8], from filled: Int) throws -> (filled: Int, atEnd: Bool) {
        var filled = filled
        while filled < buffer.count {
            let n = try read(into: &buffer, at: filled, count: buffer.count - filled)
            if n == 0 { return (filled, true) }
            filled += n
        }
        return (filled, false)
    }
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

/// Moves `buffer[range]` to the front of `buffer` (the regions may overlap), so a streaming
/// loop can keep a partial chunk without allocating.
func moveToFront(_ buffer: inout [UInt8], from range: Range<Int>) {
    guard range.lowerBound > 0, !range.isEmpty else { return }
    buffer.withUnsafeMutableBytes { raw in
        raw.baseAddress!.copyMemory(from: raw.baseAddress!.advanced(by: range.lowerBound), byteCount: range.count)
    }
}
