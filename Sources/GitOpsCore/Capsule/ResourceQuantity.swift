/// A Kubernetes resource quantity (`500m`, `2`, `512Mi`, `8Gi`, `1e3`), checked with the
/// apimachinery grammar so a typo fails here instead of at apply time.
public struct ResourceQuantity: Sendable, Hashable, CustomStringConvertible {
    public let value: String

    // k8s.io/apimachinery/pkg/api/resource: sign, digits with optional fraction, then a
    // binary SI suffix, a decimal SI suffix, or a decimal exponent.
    private static let binarySuffixes = ["Ki", "Mi", "Gi", "Ti", "Pi", "Ei"]
    private static let decimalSuffixes = ["n", "u", "m", "", "k", "M", "G", "T", "P", "E"]

    /// `option` names the flag in the error.
    public init(_ text: String, option: String) throws(CapsuleError) {
        guard Self.isValid(text) else {
            throw .invalidQuantity(option: option, value: text, suggestion: Self.suggestion(for: text))
        }
        value = text
    }

    /// A quantity written in this module's source; the quantity tests cover each one.
    init(literal: String) { value = literal }

    public var description: String { value }

    static func isValid(_ text: String) -> Bool {
        var rest = Substring(text)
        if rest.first == "+" || rest.first == "-" { rest = rest.dropFirst() }
        let number = rest.prefix { $0.isASCII && ($0.isNumber || $0 == ".") }
        guard isDecimal(number) else { return false }
        let suffix = rest.dropFirst(number.count)
        if binarySuffixes.contains(String(suffix)) || decimalSuffixes.contains(String(suffix)) { return true }
        guard let e = suffix.first, e == "e" || e == "E" else { return false }
        var exponent = suffix.dropFirst()
        if exponent.first == "+" || exponent.first == "-" { exponent = exponent.dropFirst() }
        return !exponent.isEmpty && exponent.allSatisfy { $0.isASCII && $0.isNumber }
    }

    private static func isDecimal(_ text: Substring) -> Bool {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count <= 2, parts.contains(where: { !$0.isEmpty }) else { return false }
        return parts[0].allSatisfy(\.isNumber) && (parts.count == 1 || parts[1].allSatisfy(\.isNumber))
    }

    /// The quantity a user most likely meant: `8GB`/`8gb`/`8G` style memory units and
    /// wrong-case binary suffixes become `8Gi`; a space before the unit is dropped.
    static func suggestion(for text: String) -> String? {
        let compact = text.filter { $0 != " " }
        let number = compact.prefix { $0.isASCII && ($0.isNumber || $0 == ".") }
        guard !number.isEmpty, isDecimal(number) else { return nil }
        let unit = compact.dropFirst(number.count).lowercased()
        let binary: [String: String] = [
            "kb": "Ki", "kib": "Ki", "ki": "Ki", "mb": "Mi", "mib": "Mi", "mi": "Mi",
            "gb": "Gi", "gib": "Gi", "gi": "Gi", "tb": "Ti", "tib": "Ti", "ti": "Ti",
            "pb": "Pi", "pib": "Pi", "pi": "Pi",
        ]
        if let suffix = binary[unit] { return number + suffix }
        if ["cpu", "cpus", "core", "cores"].contains(unit) { return String(number) }
        let candidate = String(number) + unit
        return isValid(candidate) && candidate != text ? candidate : nil
    }
}
