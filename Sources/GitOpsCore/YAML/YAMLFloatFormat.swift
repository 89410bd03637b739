/// Go's float formatting, which go-yaml and sops use: shortest round-trip digits placed
/// the way `strconv.FormatFloat` does.
public enum YAMLFloatFormat {
    /// go-yaml's `FormatFloat(f, 'g', -1, 64)` with `.inf`/`-.inf`/`.nan`:
    /// `1000`, `2.5`, `1e+06`, `1.5e-07`, `-0`.
    public static func goYAML(_ value: Double) -> String {
        if value.isNaN { return ".nan" }
        if value.isInfinite { return value < 0 ? "-.inf" : ".inf" }
        let (negative, digits, point) = shortestDigits(value)
        let sign = negative ? "-" : ""
        let exponent = point - 1
        // Go uses %e when the exponent is < -4 or >= 6 for shortest formatting.
        if exponent < -4 || exponent >= 6 {
            var mantissa = String(digits.first ?? "0")
            if digits.count > 1 { mantissa += "." + digits.dropFirst() }
            let e = abs(exponent)
            return "\(sign)\(mantissa)e\(exponent < 0 ? "-" : "+")\(e < 10 ? "0" : "")\(e)"
        }
        return sign + positional(digits, point)
    }

    /// `FormatFloat(f, 'f', -1, 64)` as sops writes float plaintext: never an exponent,
    /// `+Inf`/`-Inf`/`NaN` for the specials.
    public static func goFixed(_ value: Double) -> String {
        if value.isNaN { return "NaN" }
        if value.isInfinite { return value < 0 ? "-Inf" : "+Inf" }
        let (negative, digits, point) = shortestDigits(value)
        return (negative ? "-" : "") + positional(digits, point)
    }

    private static func positional(_ digits: String, _ point: Int) -> String {
        if point <= 0 {
            return "0." + String(repeating: "0", count: -point) + digits
        }
        if point >= digits.count {
            return digits + String(repeating: "0", count: point - digits.count)
        }
        let index = digits.index(digits.startIndex, offsetBy: point)
        return digits[..<index] + "." + digits[index...]
    }

    /// Shortest round-trip decimal digits (no leading/trailing zeros; "0" for zero) and the
    /// decimal point position: value = 0.d1d2… × 10^point.
    static func shortestDigits(_ value: Double) -> (negative: Bool, digits: String, point: Int) {
        let negative = value.sign == .minus
        if value == 0 { return (negative, "0", 1) }
        // Swift's description is the shortest round-trip form: "1000.0", "1.5e-07", "1e+21".
        let text = "\(abs(value))"
        var mantissa = Substring(text)
        var exponent = 0
        if let e = text.firstIndex(where: { $0 == "e" || $0 == "E" }) {
            mantissa = text[..<e]
            exponent = Int(text[text.index(after: e)...]) ?? 0
        }
        let parts = mantissa.split(separator: ".", omittingEmptySubsequences: false)
        let intPart = parts.first.map(String.init) ?? ""
        let fracPart = parts.count > 1 ? String(parts[1]) : ""
        var digits = intPart + fracPart
        var point = intPart.count + exponent
        while digits.hasPrefix("0") && digits.count > 1 { digits.removeFirst(); point -= 1 }
        while digits.hasSuffix("0") && digits.count > 1 { digits.removeLast() }
        return (negative, digits, point)
    }
}
