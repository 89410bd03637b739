/// How plain scalars get their type. The tools gitopsctl mirrors disagree, so callers choose.
public enum YAMLProfile: Sendable {
    /// gopkg.in/yaml.v3 as sops and kustomize resolve: only `true`/`false` (three spellings)
    /// are booleans, `012` is octal, `2024-01-02` is a timestamp.
    case goYAMLv3
    /// YAML 1.1 as sigs.k8s.io/yaml (go-yaml v2) resolves for Kubernetes: `yes`/`no`/`on`/`off`/`y`/`n` are booleans too.
    case yaml11
}

/// A scalar's typed value under a profile.
public enum YAMLScalarValue: Sendable, Equatable {
    case null
    case bool(Bool)
    case int(Int64)
    /// An integer above `Int64.max` (go-yaml gives such values `uint64`).
    case unsignedInt(UInt64)
    case float(Double)
    case timestamp(YAMLTimestamp)
    case string(String)

    public static func == (lhs: YAMLScalarValue, rhs: YAMLScalarValue) -> Bool {
        switch (lhs, rhs) {
        case (.null, .null): return true
        case let (.bool(a), .bool(b)): return a == b
        case let (.int(a), .int(b)): return a == b
        case let (.unsignedInt(a), .unsignedInt(b)): return a == b
        case let (.float(a), .float(b)): return a == b || (a.isNaN && b.isNaN)
        case let (.timestamp(a), .timestamp(b)): return a == b
        case let (.string(a), .string(b)): return a == b
        default: return false
        }
    }
}

/// A YAML timestamp as go-yaml parses it: date, optional time with up to nanoseconds, and a
/// UTC offset (none written means UTC).
public struct YAMLTimestamp: Sendable, Hashable {
    public var year: Int, month: Int, day: Int
    public var hour = 0, minute = 0, second = 0, nanosecond = 0
    /// Seconds east of UTC; 0 for `Z`, for no zone and for date-only values.
    public var utcOffsetSeconds = 0

    /// RFC 3339 as Go's `time.Time.MarshalText` writes it: trailing fractional zeros trimmed,
    /// `Z` for UTC (`2024-01-02` → `2024-01-02T00:00:00Z`).
    public var rfc3339: String {
        func pad(_ v: Int, _ width: Int) -> String {
            let s = String(v)
            return s.count >= width ? s : String(repeating: "0", count: width - s.count) + s
        }
        var out = "\(pad(year, 4))-\(pad(month, 2))-\(pad(day, 2))T\(pad(hour, 2)):\(pad(minute, 2)):\(pad(second, 2))"
        if nanosecond > 0 {
            var fraction = pad(nanosecond, 9)
            while fraction.hasSuffix("0") { fraction.removeLast() }
            out += "." + fraction
        }
        if utcOffsetSeconds == 0 { return out + "Z" }
        let sign = utcOffsetSeconds < 0 ? "-" : "+"
        let minutes = abs(utcOffsetSeconds) / 60
        return out + "\(sign)\(pad(minutes / 60, 2)):\(pad(minutes % 60, 2))"
    }
}
