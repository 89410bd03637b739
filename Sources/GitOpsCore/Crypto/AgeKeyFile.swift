import Foundation

/// The text of an identity file in age-keygen's format:
/// `# created: <RFC 3339, local offset>`, `# public key: age1…`, `AGE-SECRET-KEY-…`.
public enum AgeKeyFile {
    public static func contents(for identity: X25519Identity, created: Date = Date(), timeZone: TimeZone = .current) -> String {
        "# created: \(rfc3339(created, timeZone: timeZone))\n# public key: \(identity.recipient)\n\(identity.secretKeyString)\n"
    }

    /// Go's `time.RFC3339` layout: seconds precision, `Z` for UTC, otherwise `+hh:mm`.
    static func rfc3339(_ date: Date, timeZone: TimeZone) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        let c = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
        func pad(_ v: Int?, _ width: Int = 2) -> String {
            let s = String(v ?? 0)
            return String(repeating: "0", count: max(0, width - s.count)) + s
        }
        let offset = timeZone.secondsFromGMT(for: date)
        let zone: String
        if offset == 0 {
            zone = "Z"
        } else {
            let minutes = abs(offset) / 60
            zone = (offset < 0 ? "-" : "+") + pad(minutes / 60) + ":" + pad(minutes % 60)
        }
        return "\(pad(c.year, 4))-\(pad(c.month))-\(pad(c.day))T\(pad(c.hour)):\(pad(c.minute)):\(pad(c.second))\(zone)"
    }
}
