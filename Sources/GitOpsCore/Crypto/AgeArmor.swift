/// ASCII armor for age files (PEM-like, padded base64 at 64 columns). [age: armor/armor.go]
enum AgeArmor {
    static let begin = Array("-----BEGIN AGE ENCRYPTED FILE-----".utf8)
    static let end = Array("-----END AGE ENCRYPTED FILE-----".utf8)
    static let bytesPerLine = 48
    /// age allows this much whitespace before the BEGIN line and after the END line.
    static let maxWhitespace = 1024

    static func isWhitespace(_ c: UInt8) -> Bool {
        c == 0x20 || c == 0x09 || c == 0x0a || c == 0x0d || c == 0x0b || c == 0x0c
    }

    /// Whether `prefix` (the first bytes of an input) looks like an armored age file: optional
    /// whitespace, then the BEGIN line.
    static func looksArmored(_ prefix: [UInt8]) -> Bool {
        guard let first = prefix.firstIndex(where: { !isWhitespace($0) }) else { return false }
        return prefix[first...].starts(with: begin)
    }
}

/// Encodes everything written to it as armor on `sink`; `finish()` writes the last line and
/// the END line.
final class ArmorWriter: ByteSink {
    private let sink: ByteSink
    private var pending: [UInt8] = []
    private var startedOutput = false

    init(_ sink: ByteSink) { self.sink = sink }

    func write(_ buffer: [UInt8], _ range: Range<Int>) throws {
        var lower = range.lowerBound
        var out: [UInt8] = []
        if !startedOutput {
            out += AgeArmor.begin + [10]
            startedOutput = true
        }
        out.reserveCapacity(out.count + (pending.count + range.count) / AgeArmor.bytesPerLine * 65 + 65)
        if !pending.isEmpty {
            let take = min(AgeArmor.bytesPerLine - pending.count, range.count)
            pending += buffer[lower..<lower + take]
            lower += take
            if pending.count == AgeArmor.bytesPerLine {
                out += Base64.encode(pending, padded: true) + [10]
                pending.removeAll(keepingCapacity: true)
            }
        }
        while range.upperBound - lower >= AgeArmor.bytesPerLine {
            out += Base64.encode(Array(buffer[lower..<lower + AgeArmor.bytesPerLine]), padded: true)
            out.append(10)
            lower += AgeArmor.bytesPerLine
        }
        pending += buffer[lower..<range.upperBound]
        try sink.write(out)
    }

    func finish() throws {
        var out: [UInt8] = startedOutput ? [] : AgeArmor.begin + [10]
        startedOutput = true
        if !pending.isEmpty { out += Base64.encode(pending, padded: true) + [10] }
        pending.removeAll()
        out += AgeArmor.end + [10]
        try sink.write(out)
        try sink.finish()
    }
}

/// Decodes armor strictly, as age's reader does: whitespace-only lines before BEGIN (at most
/// 1024 bytes), LF or CRLF line ends, data lines of at most 64 columns of canonical padded
/// base64, only the last one short, then END and at most 1024 bytes of whitespace.
final class ArmorReader: ByteSource {
    private let lines: BufferedReader
    private var started = false
    private var finished = false
    private var decoded: [UInt8] = []
    private var decodedStart = 0

    init(_ reader: BufferedReader) { lines = reader }

    private func nextLine() throws -> [UInt8] {
        switch try lines.readLine(maxLength: 4096) {
        case .endOfInput: throw CryptoError.armor("unexpected end of armored input")
        case .tooLong: throw CryptoError.armor("column limit exceeded")
        case .line(var line, _):
            if line.last == 0x0d { line.removeLast() }
            return line
        }
    }

    private func start() throws {
        var skipped = 0
        while true {
            let line = try nextLine()
            if line.allSatisfy(AgeArmor.isWhitespace) {
                skipped += line.count + 1
                guard skipped <= AgeArmor.maxWhitespace else { throw CryptoError.armor("too much leading whitespace") }
                continue
            }
            guard line == AgeArmor.begin else { throw CryptoError.armor("invalid first line") }
            started = true
            return
        }
    }

    private func drainTrailing() throws {
        var rest = [UInt8](repeating: 0, count: AgeArmor.maxWhitespace)
        let n = try lines.readFully(into: &rest, at: 0, count: AgeArmor.maxWhitespace)
        guard rest[0..<n].allSatisfy(AgeArmor.isWhitespace) else { throw CryptoError.armor("trailing data after armored file") }
        guard n < AgeArmor.maxWhitespace else { throw CryptoError.armor("too much trailing whitespace") }
        finished = true
    }

    /// Decodes the next data line into `decoded`; false at the END line.
    private func decodeLine() throws -> Bool {
        let line = try nextLine()
        if line == AgeArmor.end { try drainTrailing(); return false }
        guard line.count <= 64 else { throw CryptoError.armor("column limit exceeded") }
        guard !line.isEmpty else { throw CryptoError.armor("empty line in armored data") }
        let before = decoded.count
        guard Base64.decode(line, 0..<line.count, padded: true, into: &decoded) else {
            throw CryptoError.armor("invalid base64 data line")
        }
        if decoded.count - before < AgeArmor.bytesPerLine {
            guard try nextLine() == AgeArmor.end else { throw CryptoError.armor("invalid closing line") }
            try drainTrailing()
        }
        return true
    }

    func read(into buffer: inout [UInt8], at offset: Int, count: Int) throws -> Int {
        if !started { try start() }
        if decodedStart == decoded.count {
            decoded.removeAll(keepingCapacity: true)
            decodedStart = 0
            while !finished && decoded.count < count {
                guard try decodeLine() else { break }
            }
        }
        let n = min(count, decoded.count - decodedStart)
        guard n > 0 else { return 0 }
        buffer.replaceSubrange(offset..<offset + n, with: decoded[decodedStart..<decodedStart + n])
        decodedStart += n
        return n
    }
}
