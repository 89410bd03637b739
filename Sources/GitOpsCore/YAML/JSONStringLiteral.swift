/// One JSON string literal read as Go's encoding/json reads it: the standard escapes,
/// surrogate pairs joined, lone surrogates replaced by U+FFFD, raw control characters refused.
/// Shared by the YAML layer's JSON reader and `KubeJSON`, which report failures their own way.
enum JSONStringLiteral {
    /// Where reading stopped and why.
    struct Malformed: Error {
        var offset: Int
        var reason: String
    }

    /// The string whose opening quote is at `start`, and the offset just past its closing quote.
    static func read(_ bytes: [UInt8], at start: Int) throws(Malformed) -> (text: String, end: Int) {
        var i = start + 1
        var out = [UInt8]()
        while true {
            guard i < bytes.count else { throw Malformed(offset: i, reason: "unterminated string") }
            let c = bytes[i]
            if c == UInt8(ascii: "\"") { i += 1; break }
            if c < 0x20 { throw Malformed(offset: i, reason: "control character in a string") }
            guard c == UInt8(ascii: "\\") else { out.append(c); i += 1; continue }
            i += 1
            guard i < bytes.count else { throw Malformed(offset: i, reason: "unterminated escape") }
            let e = bytes[i]
            i += 1
            switch e {
            case UInt8(ascii: "\""): out.append(0x22)
            case UInt8(ascii: "\\"): out.append(0x5C)
            case UInt8(ascii: "/"): out.append(0x2F)
            case UInt8(ascii: "b"): out.append(0x08)
            case UInt8(ascii: "f"): out.append(0x0C)
            case UInt8(ascii: "n"): out.append(0x0A)
            case UInt8(ascii: "r"): out.append(0x0D)
            case UInt8(ascii: "t"): out.append(0x09)
            case UInt8(ascii: "u"):
                var scalar = try hex4(bytes, at: &i)
                if (0xD800..<0xDC00).contains(scalar), bytes[i...].starts(with: [0x5C, UInt8(ascii: "u")]) {
                    let save = i
                    i += 2
                    let low = try hex4(bytes, at: &i)
                    if (0xDC00..<0xE000).contains(low) {
                        scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                    } else {
                        i = save
                    }
                }
                // Go replaces lone surrogates with U+FFFD.
                let u = Unicode.Scalar(scalar) ?? "\u{FFFD}"
                out.append(contentsOf: Array(String(Character(u)).utf8))
            default:
                throw Malformed(offset: i, reason: "invalid escape '\\\(Character(Unicode.Scalar(e)))'")
            }
        }
        return (String(decoding: out, as: UTF8.self), i)
    }

    private static func hex4(_ bytes: [UInt8], at i: inout Int) throws(Malformed) -> UInt32 {
        guard i + 4 <= bytes.count else { throw Malformed(offset: i, reason: "short \\u escape") }
        var v: UInt32 = 0
        for _ in 0..<4 {
            let c = bytes[i]
            let d: UInt32
            switch c {
            case 0x30...0x39: d = UInt32(c - 0x30)
            case 0x61...0x66: d = UInt32(c - 0x61 + 10)
            case 0x41...0x46: d = UInt32(c - 0x41 + 10)
            default: throw Malformed(offset: i, reason: "invalid hex digit in \\u escape")
            }
            v = v * 16 + d
            i += 1
        }
        return v
    }
}
