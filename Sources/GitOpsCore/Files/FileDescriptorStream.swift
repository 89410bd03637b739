#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads a file or a pipe through its descriptor with plain `read(2)` into the caller's
/// buffer: no per-read allocation, which matters for gigabyte streams.
public final class FileInput: ByteSource {
    /// The name used in error messages (`-` for standard input).
    public let name: String
    private let fd: Int32
    private let ownsDescriptor: Bool

    /// Opens `path` for reading.
    public init(path: String) throws(FilesError) {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw .open(path: path, reason: String(cString: strerror(errno))) }
        self.fd = fd
        self.name = path
        self.ownsDescriptor = true
    }

    /// Standard input.
    public static func standardInput() -> FileInput { FileInput(fd: 0, name: "standard input") }

    private init(fd: Int32, name: String) {
        self.fd = fd
        self.name = name
        self.ownsDescriptor = false
    }

    public func read(into buffer: inout [UInt8], at offset: Int, count: Int) throws -> Int {
        precondition(offset + count <= buffer.count)
        guard count > 0 else { return 0 }
        while true {
            let n = buffer.withUnsafeMutableBytes { raw in
                Glibc.read(fd, raw.baseAddress!.advanced(by: offset), count)
            }
            if n >= 0 { return n }
            if errno == EINTR { continue }
            throw FilesError.read(path: name, reason: String(cString: strerror(errno)))
        }
    }

    deinit { if ownsDescriptor { close(fd) } }
}

/// Writes to a descriptor with plain `write(2)`, retrying short writes.
public final class FileOutput: ByteSink {
    public let name: String
    let fd: Int32
    private let ownsDescriptor: Bool

    /// Standard output.
    public static func standardOutput() -> FileOutput { FileOutput(fd: 1, name: "standard output", owns: false) }

    init(fd: Int32, name: String, owns: Bool) {
        self.fd = fd
        self.name = name
        self.ownsDescriptor = owns
    }

    /// Whether the descriptor is a terminal (age refuses to print binary to one).
    public var isTerminal: Bool { isatty(fd) == 1 }

    public func write(_ buffer: [UInt8], _ range: Range<Int>) throws {
        var done = 0
        while done < range.count {
            let n = buffer.withUnsafeBytes { raw in
                Glibc.write(fd, raw.baseAddress!.advanced(by: range.lowerBound + done), range.count - done)
            }
            if n < 0 {
                if errno == EINTR { continue }
                throw FilesError.write(path: name, reason: String(cString: strerror(errno)))
            }
            done += n
        }
    }

    deinit { if ownsDescriptor { close(fd) } }
}
