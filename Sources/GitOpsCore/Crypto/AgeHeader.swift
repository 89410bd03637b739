/// The age header: intro line, stanzas, and the MAC line. Parsing is strict (age refuses
/// any header its own encoder would not write), which is why the MAC can be checked over the
/// bytes as read. [age: internal/format/format.go]
struct AgeHeader {
    static let intro = Array("age-encryption.org/v1\n".utf8)
    /// Longer lines are refused rather than buffered without bound.
    static let maxLineLength = 1 << 20

    var stanzas: [AgeStanza]
    var mac: [UInt8]

    /// Intro, stanzas and `---`: the bytes the MAC covers.
    static func bytesWithoutMAC(_ stanzas: [AgeStanza]) -> [UInt8] {
        var out = intro
        for stanza in stanzas { out += stanza.encoded }
        out += Array("---".utf8)
        return out
    }

    /// `HMAC-SHA-256(HKDF(file key, "", "header"), header up to and including "---")`.
    static func mac(fileKey: SecretBytes, headerBytes: [UInt8]) -> [UInt8] {
        let key = HKDF.sha256(secret: .secret(fileKey), salt: [], info: "header")
        return Sodium.hmacSHA256(key: key, message: [.bytes(headerBytes)]).withUnsafeBytes { Array($0) }
    }

    /// The complete header for `stanzas`, MAC line included.
    static func encode(_ stanzas: [AgeStanza], fileKey: SecretBytes) -> [UInt8] {
        let bytes = bytesWithoutMAC(stanzas)
        return bytes + Array(" ".utf8) + Base64.encode(mac(fileKey: fileKey, headerBytes: bytes), padded: false) + [10]
    }

    /// Reads a header from `reader`, leaving it positioned at the payload nonce. Returns the
    /// header and the bytes the MAC covers. Errors name the header line (1 = the intro line).
    static func parse(_ reader: BufferedReader) throws -> (header: AgeHeader, macInput: [UInt8]) {
        var macInput: [UInt8] = []
        var lineNumber = 1
        func malformed(_ reason: String) -> CryptoError { .malformedHeader("line \(lineNumber): \(reason)") }
        guard case .line(let first, true) = try reader.readLine(maxLength: maxLineLength),
              first + [10] == intro else {
            throw malformed("unexpected intro line (not an age v1 file)")
        }
        macInput += intro
        var stanzas: [AgeStanza] = []
        while true {
            lineNumber += 1
            guard case .line(let line, true) = try reader.readLine(maxLength: maxLineLength) else {
                throw malformed("header ended early")
            }
            let fields = line.split(separator: UInt8(ascii: " "), omittingEmptySubsequences: false)
            guard let prefix = fields.first else { throw malformed("empty header line") }
            if Array(prefix) == Array("---".utf8) {
                guard fields.count == 2, let mac = decodeRaw(fields[1]), mac.count == 32 else {
                    throw malformed("malformed closing line")
                }
                macInput += Array("---".utf8)
                return (AgeHeader(stanzas: stanzas, mac: mac), macInput)
            }
            guard Array(prefix) == Array("->".utf8), fields.count >= 2 else {
                throw malformed("malformed stanza opening line")
            }
            let arguments = fields.dropFirst()
            guard arguments.allSatisfy({ !$0.isEmpty && $0.allSatisfy { $0 >= 33 && $0 <= 126 } }) else {
                throw malformed("invalid characters in a stanza argument")
            }
            macInput += line + [10]
            let body = try parseBody(reader, macInput: &macInput, lineNumber: &lineNumber)
            let strings = arguments.map { String(decoding: $0, as: UTF8.self) }
            stanzas.append(AgeStanza(type: strings[0], arguments: Array(strings.dropFirst()), body: body))
        }
    }

    /// Body lines: each full line (64 columns, 48 bytes) means another follows; the first
    /// shorter line, possibly empty, ends the body.
    private static func parseBody(_ reader: BufferedReader, macInput: inout [UInt8], lineNumber: inout Int) throws -> [UInt8] {
        var body: [UInt8] = []
        while true {
            lineNumber += 1
            guard case .line(let line, true) = try reader.readLine(maxLength: 64) else {
                throw CryptoError.malformedHeader("line \(lineNumber): malformed stanza body")
            }
            guard line.count <= 64, !line.contains(UInt8(ascii: "\r")),
                  Base64.decode(line, 0..<line.count, padded: false, into: &body) else {
                throw CryptoError.malformedHeader("line \(lineNumber): malformed stanza body line")
            }
            macInput += line + [10]
            if line.count < 64 { return body }
        }
    }

    private static func decodeRaw(_ text: ArraySlice<UInt8>) -> [UInt8]? {
        let bytes = Array(text)
        var out: [UInt8] = []
        return Base64.decode(bytes, 0..<bytes.count, padded: false, into: &out) ? out : nil
    }
}
