import Foundation

/// The value of `reconcile.fluxcd.io/requestedAt`: local wall-clock time in Go's
/// `time.RFC3339Nano` layout, as flux2 writes it (trailing fractional zeros dropped, no `.` for
/// a whole second, `Z` for UTC, else `±hh:mm`). Controllers treat it as an opaque token.
enum ReconcileRequestedAt {
    static let annotation = "reconcile.fluxcd.io/requestedAt"
    static let forceAnnotation = "reconcile.fluxcd.io/forceAt"
    static let resetAnnotation = "reconcile.fluxcd.io/resetAt"

    static func now() -> String {
        var spec = timespec()
        clock_gettime(CLOCK_REALTIME, &spec)
        return format(seconds: Int(spec.tv_sec), nanoseconds: Int(spec.tv_nsec), offsetSeconds: localOffset(Int(spec.tv_sec)))
    }

    static func format(seconds: Int, nanoseconds: Int, offsetSeconds: Int) -> String {
        var local = time_t(seconds + offsetSeconds)
        var parts = tm()
        gmtime_r(&local, &parts)
        func two(_ n: Int32) -> String { n < 10 ? "0\(n)" : "\(n)" }
        var text = "\(parts.tm_year + 1900)-\(two(parts.tm_mon + 1))-\(two(parts.tm_mday))T"
            + "\(two(parts.tm_hour)):\(two(parts.tm_min)):\(two(parts.tm_sec))"
        if nanoseconds > 0 {
            var fraction = String(nanoseconds)
            fraction = String(repeating: "0", count: 9 - fraction.count) + fraction
            while fraction.hasSuffix("0") { fraction.removeLast() }
            text += "." + fraction
        }
        if offsetSeconds == 0 { return text + "Z" }
        let minutes = abs(offsetSeconds) / 60
        return text + (offsetSeconds < 0 ? "-" : "+") + two(Int32(minutes / 60)) + ":" + two(Int32(minutes % 60))
    }

    private static func localOffset(_ seconds: Int) -> Int {
        var time = time_t(seconds)
        var parts = tm()
        localtime_r(&time, &parts)
        return Int(parts.tm_gmtoff)
    }
}
