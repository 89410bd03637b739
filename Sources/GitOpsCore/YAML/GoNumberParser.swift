/// Go's `strconv.ParseInt(s, 0, 64)` / `ParseUint` number syntax, which go-yaml uses for
/// plain scalars: optional sign, then `0x`/`0o`/`0b` prefixes or a leading `0` for octal.
enum GoNumberParser {
    static func parseInt(_ s: String) -> Int64? {
        var utf8 = Substring(s).utf8
        var negative = false
        if let first = utf8.first, first == UInt8(ascii: "+") || first == UInt8(ascii: "-") {
            negative = first == UInt8(ascii: "-")
            utf8 = utf8.dropFirst()
        }
        guard let magnitude = parseMagnitude(utf8) else { return nil }
        if negative {
            if magnitude == UInt64(Int64.max) + 1 { return Int64.min }
            guard magnitude <= UInt64(Int64.max) else { return nil }
            return -Int64(magnitude)
        }
        guard magnitude <= UInt64(Int64.max) else { return nil }
        return Int64(magnitude)
    }

    /// Unsigned: a `+` sign is not accepted (as in Go), nor `-`.
    static func parseUInt(_ s: String) -> UInt64? {
        guard let first = s.utf8.first, first != UInt8(ascii: "+"), first != UInt8(ascii: "-") else { return nil }
        return parseMagnitude(Substring(s).utf8)
    }

    private static func parseMagnitude(_ digits: Substring.UTF8View) -> UInt64? {
        var rest = digits
        var base: UInt64 = 10
        let bytes = Array(digits)
        if bytes.count >= 2, bytes[0] == UInt8(ascii: "0") {
            switch bytes[1] {
            case UInt8(ascii: "x"), UInt8(ascii: "X"): base = 16; rest = rest.dropFirst(2)
            case UInt8(ascii: "o"), UInt8(ascii: "O"): base = 8; rest = rest.dropFirst(2)
            case UInt8(ascii: "b"), UInt8(ascii: "B"): base = 2; rest = rest.dropFirst(2)
            default: base = 8; rest = rest.dropFirst(1)
            }
        }
        guard !rest.isEmpty else { return nil }
        var value: UInt64 = 0
        for c in rest {
            guard let d = digitValue(c), d < base else { return nil }
            let (m, o1) = value.multipliedReportingOverflow(by: base)
            let (a, o2) = m.addingReportingOverflow(d)
            guard !o1, !o2 else { return nil }
            value = a
        }
        return value
    }

    private static func digitValue(_ c: UInt8) -> UInt64? {
        switch c {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return UInt64(c - UInt8(ascii: "0"))
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return UInt64(c - UInt8(ascii: "a") + 10)
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return UInt64(c - UInt8(ascii: "A") + 10)
        default: return nil
        }
    }

    /// go-yaml's `^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$`.
    static func isYAMLStyleFloat(_ s: String) -> Bool {
        let b = Array(s.utf8)
        var i = 0
        func digits() -> Int {
            let start = i
            while i < b.count, b[i] >= 0x30, b[i] <= 0x39 { i += 1 }
            return i - start
        }
        if i < b.count, b[i] == UInt8(ascii: "+") || b[i] == UInt8(ascii: "-") { i += 1 }
        if i < b.count, b[i] == UInt8(ascii: ".") {
            i += 1
            guard digits() > 0 else { return false }
        } else {
            guard digits() > 0 else { return false }
            if i < b.count, b[i] == UInt8(ascii: ".") {
                i += 1
                _ = digits()
            }
        }
        if i < b.count, b[i] == UInt8(ascii: "e") || b[i] == UInt8(ascii: "E") {
            i += 1
            if i < b.count, b[i] == UInt8(ascii: "+") || b[i] == UInt8(ascii: "-") { i += 1 }
            guard digits() > 0 else { return false }
        }
        return i == b.count
    }

    /// Floats starting with `.` that Go's ParseFloat accepts (`.5`, `.5e3`).
    static func isGoFloat(_ s: String) -> Bool { isYAMLStyleFloat(s) }
}

/// Parses the timestamp forms go-yaml accepts: `2006-1-2`, `2006-1-2T15:4:5.999999999Z07:00`
/// (also lower-case `t`) and `2006-1-2 15:4:5.999999999` (no zone = UTC).
enum YAMLTimestampParser {
    static func parse(_ text: String) -> YAMLTimestamp? {
        let b = Array(text.utf8)
        var i = 0
        func number(maxDigits: Int, minDigits: Int = 1) -> Int? {
            let start = i
            var v = 0
            while i < b.count, i - start < maxDigits, b[i] >= 0x30, b[i] <= 0x39 {
                v = v * 10 + Int(b[i] - 0x30)
                i += 1
            }
            return i - start >= minDigits ? v : nil
        }
        func expect(_ c: Character) -> Bool {
            guard i < b.count, let ascii = c.asciiValue, b[i] == ascii else { return false }
            i += 1
            return true
        }
        guard let year = number(maxDigits: 4, minDigits: 4), expect("-"),
              let month = number(maxDigits: 2), expect("-"),
              let day = number(maxDigits: 2),
              (1...12).contains(month), day >= 1, day <= daysIn(month: month, year: year) else { return nil }
        var t = YAMLTimestamp(year: year, month: month, day: day)
        if i == b.count { return t }
        let separator = b[i]
        guard separator == UInt8(ascii: "T") || separator == UInt8(ascii: "t") || separator == UInt8(ascii: " ") else { return nil }
        i += 1
        guard let h = number(maxDigits: 2), expect(":"), let m = number(maxDigits: 2), expect(":"),
              let s = number(maxDigits: 2), h < 24, m < 60, s < 60 else { return nil }
        t.hour = h; t.minute = m; t.second = s
        if i < b.count, b[i] == UInt8(ascii: ".") {
            i += 1
            let start = i
            guard let fraction = number(maxDigits: 9) else { return nil }
            var nanos = fraction
            for _ in (i - start)..<9 { nanos *= 10 }
            t.nanosecond = nanos
        }
        if separator == UInt8(ascii: " ") { return i == b.count ? t : nil }
        guard i < b.count else { return nil }
        if b[i] == UInt8(ascii: "Z") {
            i += 1
        } else if b[i] == UInt8(ascii: "+") || b[i] == UInt8(ascii: "-") {
            let sign = b[i] == UInt8(ascii: "-") ? -1 : 1
            i += 1
            guard let oh = number(maxDigits: 2, minDigits: 2), expect(":"),
                  let om = number(maxDigits: 2, minDigits: 2) else { return nil }
            t.utcOffsetSeconds = sign * (oh * 3600 + om * 60)
        } else {
            return nil
        }
        return i == b.count ? t : nil
    }

    private static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }
}
