#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// What the process is connected to, decided once at start-up: whether each stream is a
/// terminal and whether colour may be used on it.
struct Terminal: Sendable {
    var stdoutIsTerminal: Bool
    var stderrIsTerminal: Bool
    /// `NO_COLOR` set (to anything, per no-color.org) or `--no-color` given.
    var colorDisabled: Bool

    static func current(noColorFlag: Bool) -> Terminal {
        Terminal(stdoutIsTerminal: isatty(STDOUT_FILENO) == 1,
                 stderrIsTerminal: isatty(STDERR_FILENO) == 1,
                 colorDisabled: noColorFlag || getenv("NO_COLOR") != nil)
    }

    var colorOnStdout: Bool { stdoutIsTerminal && !colorDisabled }
    var colorOnStderr: Bool { stderrIsTerminal && !colorDisabled }
}

/// ANSI styles used for step symbols and table headers.
enum Style: String, Sendable {
    case bold = "1"
    case red = "31"
    case green = "32"
    case yellow = "33"
    case blue = "34"
    case cyan = "36"

    func apply(_ text: String, enabled: Bool) -> String {
        enabled ? "\u{1B}[\(rawValue)m\(text)\u{1B}[0m" : text
    }
}

/// One of the process's output streams. Writes go straight to the file descriptor, unbuffered
/// and in full, so stdout and stderr interleave in the order they were written.
struct StandardStream: Sendable {
    var fileDescriptor: Int32

    static let standardOutput = StandardStream(fileDescriptor: STDOUT_FILENO)
    static let standardError = StandardStream(fileDescriptor: STDERR_FILENO)

    func write(_ text: String) {
        var text = text
        text.withUTF8 { write(buffer: $0) }
    }

    /// Writes raw bytes (`Data`, `[UInt8]`): binary output such as an age file.
    func write<Bytes: Collection>(bytes: Bytes) where Bytes.Element == UInt8 {
        if bytes.withContiguousStorageIfAvailable({ write(buffer: $0) }) == nil {
            Array(bytes).withUnsafeBufferPointer { write(buffer: $0) }
        }
    }

    private func write(buffer: UnsafeBufferPointer<UInt8>) {
        guard var base = buffer.baseAddress else { return }
        var remaining = buffer.count
        while remaining > 0 {
            let written = systemWrite(fileDescriptor, base, remaining)
            if written < 0 {
                if errno == EINTR { continue }
                return
            }
            base += written
            remaining -= written
        }
    }
}

private func systemWrite(_ fd: Int32, _ buffer: UnsafePointer<UInt8>, _ count: Int) -> Int {
    write(fd, buffer, count)
}
