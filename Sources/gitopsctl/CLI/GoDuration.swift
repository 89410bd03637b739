/// Durations as flux, kubectl and Kubernetes manifests write them (`30s`, `5m`, `1h30m`,
/// `1.5h`, `250ms`): Go's `time.ParseDuration`, which every one of those tools uses. A bare `0`
/// is accepted as Go does; a bare number otherwise is not.
enum GoDuration {
    struct Invalid: Error {}

    private static let units: [(suffix: String, nanoseconds: Double)] = [
        ("ns", 1), ("us", 1e3), ("µs", 1e3), ("μs", 1e3), ("ms", 1e6),
        ("s", 1e9), ("m", 60e9), ("h", 3600e9),
    ]

    static let formatHint = "use a number and a unit: 30s, 5m, 1h, or combined like 1h30m (units: ns, us, ms, s, m, h)"

    static func parse(_ text: String) throws -> Duration {
        var rest = Substring(text)
        var negative = false
        if let sign = rest.first, sign == "-" || sign == "+" {
            negative = sign == "-"
            rest = rest.dropFirst()
        }
        if rest == "0" { return .zero }
        guard !rest.isEmpty else { throw Invalid() }
        var total = 0.0
        while !rest.isEmpty {
            let number = rest.prefix { $0.isASCII && ($0.isNumber || $0 == ".") }
            guard !number.isEmpty, number != ".", let value = Double(number) else { throw Invalid() }
            rest = rest.dropFirst(number.count)
            let unitText = rest.prefix { !($0.isASCII && ($0.isNumber || $0 == ".")) }
            guard let unit = units.first(where: { $0.suffix == unitText }) else { throw Invalid() }
            rest = rest.dropFirst(unitText.count)
            total += value * unit.nanoseconds
        }
        let nanoseconds = Int64(negative ? -total : total)
        return .nanoseconds(nanoseconds)
    }
}
