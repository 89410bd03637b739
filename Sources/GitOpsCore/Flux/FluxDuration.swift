/// A Kubernetes/Go duration (`30s`, `1m30s`, `1.5h`, `500ms`), as the Flux CRDs accept it
/// (`^([0-9]+(\.[0-9]+)?(ms|s|m|h))+$`).
public struct FluxDuration: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// Whole milliseconds; Flux durations never need finer.
    public var milliseconds: Int64

    public init(milliseconds: Int64) { self.milliseconds = milliseconds }

    public init?(_ text: String) {
        var total = 0.0
        var rest = Substring(text)
        guard !rest.isEmpty else { return nil }
        while !rest.isEmpty {
            let number = rest.prefix { $0.isASCII && ($0.isNumber || $0 == ".") }
            guard !number.isEmpty, let value = Double(number) else { return nil }
            rest = rest.dropFirst(number.count)
            let factor: Double
            if rest.hasPrefix("ms") { factor = 1; rest = rest.dropFirst(2) }
            else if rest.hasPrefix("s") { factor = 1000; rest = rest.dropFirst() }
            else if rest.hasPrefix("m") { factor = 60_000; rest = rest.dropFirst() }
            else if rest.hasPrefix("h") { factor = 3_600_000; rest = rest.dropFirst() }
            else { return nil }
            total += value * factor
        }
        milliseconds = Int64(total.rounded())
    }

    /// Go's `time.Duration.String()`: `30s`, `1m0s`, `1h30m0s`, `500ms`, `1.5s`.
    public var description: String {
        if milliseconds == 0 { return "0s" }
        if milliseconds < 1000 { return "\(milliseconds)ms" }
        let hours = milliseconds / 3_600_000
        let minutes = (milliseconds % 3_600_000) / 60_000
        let millis = milliseconds % 60_000
        var seconds = "\(millis / 1000)"
        if millis % 1000 != 0 {
            var fraction = String(millis % 1000)
            fraction = String(repeating: "0", count: 3 - fraction.count) + fraction
            while fraction.hasSuffix("0") { fraction.removeLast() }
            seconds += "." + fraction
        }
        if hours > 0 { return "\(hours)h\(minutes)m\(seconds)s" }
        if minutes > 0 { return "\(minutes)m\(seconds)s" }
        return "\(seconds)s"
    }

    public static func < (lhs: FluxDuration, rhs: FluxDuration) -> Bool { lhs.milliseconds < rhs.milliseconds }
}
