/// Base64 with the standard alphabet, in the two strict forms age uses: unpadded ("raw") for
/// header stanzas and the MAC, padded for armor. Decoding refuses anything a canonical encoder
/// would not write (non-zero trailing bits, stray characters, wrong padding), because age
/// rejects non-canonical headers. Pure table lookups, no cryptography.
enum Base64 {
    private static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)
    private static let table: [UInt8] = {
        var t = [UInt8](repeating: 0xff, count: 256)
        for (i, c) in alphabet.enumerated() { t[Int(c)] = UInt8(i) }
        return t
    }()

    static func encode(_ data: [UInt8], padded: Bool) -> [UInt8] {
        var out: [UInt8] = []
        encode(data, 0..<data.count, padded: padded, into: &out)
        return out
    }

    /// Appends the encoding of `data[range]` to `out`.
    static func encode(_ data: [UInt8], _ range: Range<Int>, padded: Bool, into out: inout [UInt8]) {
        out.reserveCapacity(out.count + (range.count + 2) / 3 * 4)
        var i = range.lowerBound
        while i + 3 <= range.upperBound {
            let v = UInt32(data[i]) << 16 | UInt32(data[i + 1]) << 8 | UInt32(data[i + 2])
            out.append(alphabet[Int(v >> 18 & 63)]); out.append(alphabet[Int(v >> 12 & 63)])
            out.append(alphabet[Int(v >> 6 & 63)]); out.append(alphabet[Int(v & 63)])
            i += 3
        }
        let rest = range.upperBound - i
        if rest == 1 {
            let v = UInt32(data[i]) << 16
            out.append(alphabet[Int(v >> 18 & 63)]); out.append(alphabet[Int(v >> 12 & 63)])
            if padded { out.append(UInt8(ascii: "=")); out.append(UInt8(ascii: "=")) }
        } else if rest == 2 {
            let v = UInt32(data[i]) << 16 | UInt32(data[i + 1]) << 8
            out.append(alphabet[Int(v >> 18 & 63)]); out.append(alphabet[Int(v >> 12 & 63)])
            out.append(alphabet[Int(v >> 6 & 63)])
            if padded { out.append(UInt8(ascii: "=")) }
        }
    }

    static func encodeString(_ data: [UInt8], padded: Bool = false) -> String {
        String(decoding: encode(data, padded: padded), as: UTF8.self)
    }

    /// Strict decode of `text[range]` appended to `out`; false if it is not canonical base64.
    static func decode(_ text: [UInt8], _ range: Range<Int>, padded: Bool, into out: inout [UInt8]) -> Bool {
        var end = range.upperBound
        if padded {
            guard range.count % 4 == 0 else { return false }
            if end > range.lowerBound, text[end - 1] == UInt8(ascii: "=") { end -= 1 }
            if end > range.lowerBound, text[end - 1] == UInt8(ascii: "=") { end -= 1 }
            if range.upperBound - end > 0 && (end - range.lowerBound) % 4 < 2 { return false }
        }
        let count = end - range.lowerBound
        if count % 4 == 1 { return false }
        var i = range.lowerBound
        while i + 4 <= end {
            let a = table[Int(text[i])], b = table[Int(text[i + 1])], c = table[Int(text[i + 2])], d = table[Int(text[i + 3])]
            guard (a | b | c | d) & 0xc0 == 0 else { return false }
            let v = UInt32(a) << 18 | UInt32(b) << 12 | UInt32(c) << 6 | UInt32(d)
            out.append(UInt8(v >> 16)); out.append(UInt8(v >> 8 & 0xff)); out.append(UInt8(v & 0xff))
            i += 4
        }
        let rest = end - i
        if rest == 2 {
            let a = table[Int(text[i])], b = table[Int(text[i + 1])]
            guard (a | b) & 0xc0 == 0, b & 0x0f == 0 else { return false }
            out.append(a << 2 | b >> 4)
        } else if rest == 3 {
            let a = table[Int(text[i])], b = table[Int(text[i + 1])], c = table[Int(text[i + 2])]
            guard (a | b | c) & 0xc0 == 0, c & 0x03 == 0 else { return false }
            out.append(a << 2 | b >> 4); out.append((b & 0x0f) << 4 | c >> 2)
        }
        if padded, range.upperBound - end != (rest == 0 ? 0 : 4 - rest) { return false }
        return true
    }

    static func decode(_ text: String, padded: Bool = false) -> [UInt8]? {
        let bytes = Array(text.utf8)
        var out: [UInt8] = []
        return decode(bytes, 0..<bytes.count, padded: padded, into: &out) ? out : nil
    }
}
