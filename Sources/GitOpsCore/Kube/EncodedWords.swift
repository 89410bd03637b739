import Foundation

/// RFC 2047 encoded words (`=?utf-8?q?caf=C3=A9?=`, `=?UTF-8?B?Y2Fmw6k=?=`) in a header text, as
/// Go's `mime.WordDecoder.DecodeHeader` reads them: kube's warning parser runs every warning
/// text through it, because RFC 2616 warnings were allowed to be encoded that way.
enum EncodedWords {
    /// The text with its encoded words decoded; whitespace between two adjacent encoded words
    /// is dropped, and a word that does not decode stays as written. Nil when a word names a
    /// charset other than UTF-8, ISO-8859-1 or US-ASCII: Go fails the whole decode then, and
    /// kube keeps the text as sent.
    static func decode(_ text: String) -> String? {
        let bytes = Array(text.utf8)
        guard let first = find(Array("=?".utf8), in: bytes, from: 0) else { return text }
        var output = Array(bytes[..<first])
        var cursor = first
        var betweenWords = false
        while let start = find(Array("=?".utf8), in: bytes, from: cursor) {
            guard let word = EncodedWord(bytes, at: start) else { break }
            guard let content = word.content else {
                betweenWords = false
                output += bytes[cursor..<(start + 2)]
                cursor = start + 2
                continue
            }
            let gap = bytes[cursor..<start]
            if !gap.isEmpty && (!betweenWords || gap.contains(where: { !isWhitespace($0) })) { output += gap }
            guard let converted = convert(content, charset: word.charset) else { return nil }
            output += converted
            cursor = word.end
            betweenWords = true
        }
        output += bytes[cursor...]
        return String(decoding: output, as: UTF8.self)
    }

    /// `=?charset?encoding?encoded-text?=` starting at an `=?`.
    private struct EncodedWord {
        var charset: String
        /// The decoded bytes; nil when the encoding is unknown or the text is not valid in it.
        var content: [UInt8]?
        var end: Int

        init?(_ bytes: [UInt8], at start: Int) {
            let question = UInt8(ascii: "?")
            let charsetStart = start + 2
            guard let charsetEnd = bytes[charsetStart...].firstIndex(of: question) else { return nil }
            var cursor = charsetEnd + 1
            guard bytes.count >= cursor + 4 else { return nil }  // "Q??=" at least
            let encoding = bytes[cursor]
            cursor += 1
            guard bytes[cursor] == question else { return nil }
            cursor += 1
            guard let textEnd = EncodedWords.find(Array("?=".utf8), in: bytes, from: cursor) else { return nil }
            charset = String(decoding: bytes[charsetStart..<charsetEnd], as: UTF8.self)
            end = textEnd + 2
            let encoded = Array(bytes[cursor..<textEnd])
            switch encoding {
            case UInt8(ascii: "B"), UInt8(ascii: "b"):
                content = Data(base64Encoded: Data(encoded)).map(Array.init)
            case UInt8(ascii: "Q"), UInt8(ascii: "q"):
                content = EncodedWords.quotedPrintable(encoded)
            default:
                content = nil
            }
        }
    }

    /// The Q encoding: `_` is a space, `=XX` a byte in hex.
    private static func quotedPrintable(_ encoded: [UInt8]) -> [UInt8]? {
        var result: [UInt8] = []
        var index = 0
        while index < encoded.count {
            let byte = encoded[index]
            if byte == UInt8(ascii: "_") {
                result.append(0x20)
            } else if byte == UInt8(ascii: "=") {
                guard index + 2 < encoded.count, let high = hexValue(encoded[index + 1]),
                      let low = hexValue(encoded[index + 2]) else { return nil }
                result.append(high << 4 | low)
                index += 2
            } else if (0x20...0x7E).contains(byte) || byte == 0x0A || byte == 0x0D || byte == 0x09 {
                result.append(byte)
            } else {
                return nil
            }
            index += 1
        }
        return result
    }

    /// The charsets Go's decoder knows without a CharsetReader.
    private static func convert(_ content: [UInt8], charset: String) -> [UInt8]? {
        switch charset.lowercased() {
        case "utf-8": return content
        case "iso-8859-1": return Array(String(String.UnicodeScalarView(content.map { Unicode.Scalar($0) })).utf8)
        case "us-ascii": return content.flatMap { $0 < 0x80 ? [$0] : Array("\u{FFFD}".utf8) }
        default: return nil
        }
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }

    private static func isWhitespace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D
    }

    private static func find(_ needle: [UInt8], in bytes: [UInt8], from start: Int) -> Int? {
        guard start <= bytes.count - needle.count else { return nil }
        return (start...(bytes.count - needle.count)).first { bytes[$0..<($0 + needle.count)].elementsEqual(needle) }
    }
}
