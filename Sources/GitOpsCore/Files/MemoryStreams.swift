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
