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
    /// Reused for every write: armor lines for one batch of ciphertext.
    private var output: [UInt8] = []
    private var startedOutput = false

    init(_ sink: ByteSink) { self.sink = sink }

    func write(_ buffer: [UInt8], _ range: Range<Int>) throws {
        var lower = range.lowerBound
        output.removeAll(keepingCapacity: true)
        if !startedOutput {
            output += AgeArmor.begin + [10]
            startedOutput = true
        }
        if !pending.isEmpty {
            let take = min(AgeArmor.bytesPerLine - pending.count, range.count)
            pending += buffer[lower..<lower + take]
            lower += take
            if pending.count == AgeArmor.bytesPerLine {
                Base64.encode(pending, 0..<pending.count, padded: true, into: &output)
                output.append(10)
                pending.removeAll(keepingCapacity: true)
            }
        }
        while range.upperBound - lower >= AgeArmor.bytesPerLine {
            Base64.encode(buffer, lower..<lower + AgeArmor.bytesPerLine, padded: true, into: &output)
            output.append(10)
            lower += AgeArmor.bytesPerLine
        }
        pending += buffer[lower..<range.upperBound]
        try sink.write(output)
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
    /// The line being read (1 = the first line of the input), for error messages.
    private var lineNumber = 0

    init(_ reader: BufferedReader) { lines = reader }

    private func failure(_ reason: String) -> CryptoError { .armor("line \(lineNumber): \(reason)") }

    private func nextLine() throws -> [UInt8] {
        lineNumber += 1
        switch try lines.readLine(maxLength: 4096) {
        case .endOfInput: throw failure("unexpected end of armored input")
        case .tooLong: throw failure("column limit exceeded")
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
                guard skipped <= AgeArmor.maxWhitespace else { throw failure("too much leading whitespace") }
                continue
            }
            guard line == AgeArmor.begin else { throw failure("invalid first line") }
            started = true
            return
        }
    }

    private func drainTrailing() throws {
        var rest = [UInt8](repeating: 0, count: AgeArmor.maxWhitespace)
        let n = try lines.readFully(into: &rest, at: 0, count: AgeArmor.maxWhitespace)
        guard rest[0..<n].allSatisfy(AgeArmor.isWhitespace) else { throw failure("trailing data after the END line") }
        guard n < AgeArmor.maxWhitespace else { throw failure("too much trailing whitespace after the END line") }
        finished = true
    }

    /// Decodes the next data line into `decoded`; false at the END line.
    private func decodeLine() throws -> Bool {
        enum Outcome { case decoded(Int), end, invalid(String) }
        var outcome = Outcome.end
        lineNumber += 1
        let line = try lines.withLine(maxLength: 4096) { buffer, range, _ in
            var upper = range.upperBound
            if upper > range.lowerBound, buffer[upper - 1] == 0x0d { upper -= 1 }
            let text = range.lowerBound..<upper
            if buffer[text].elementsEqual(AgeArmor.end) {
                outcome = .end
            } else if text.count > 64 {
                outcome = .invalid("column limit exceeded")
            } else if text.isEmpty {
                outcome = .invalid("empty line in armored data")
            } else {
                let before = decoded.count
                outcome = Base64.decode(buffer, text, padded: true, into: &decoded)
                    ? .decoded(decoded.count - before) : .invalid("invalid base64 data line")
            }
            return .line([], terminated: true)
        }
        switch line {
        case .endOfInput: throw failure("unexpected end of armored input")
        case .tooLong: throw failure("column limit exceeded")
        case .line: break
        }
        switch outcome {
        case .end:
            try drainTrailing()
            return false
        case .invalid(let reason):
            throw failure(reason)
        case .decoded(let count):
            if count < AgeArmor.bytesPerLine {
                guard try nextLine() == AgeArmor.end else { throw failure("invalid closing line") }
                try drainTrailing()
            }
            return true
        }
    }

    func read(into buffer: inout [UInt8], at offset: Int, count: Int) throws -> Int {
        if !started { try start() }
        if decodedStart == decoded.count {
            decoded.removeAll(keepingCapacity: true)
            decodedStart = 0
            while !finished && decoded.count < max(count, 64 * 1024) {
                guard try decodeLine() else { break }
            }
        }
        let n = min(count, decoded.count - decodedStart)
        guard n > 0 else { return 0 }
        buffer.withUnsafeMutableBytes { target in
            decoded.withUnsafeBytes { source in
                target.baseAddress!.advanced(by: offset).copyMemory(from: source.baseAddress!.advanced(by: decodedStart), byteCount: n)
            }
        }
        decodedStart += n
        return n
    }
}
