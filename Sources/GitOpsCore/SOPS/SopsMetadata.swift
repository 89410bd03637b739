import Foundation

/// The `sops` block of an encrypted file (getsops/sops stores/stores.go Metadata), with the
/// parts gitopsctl acts on. Key types other than age (pgp, kms, …) are counted, not used.
struct SopsMetadata: Sendable, Equatable {
    /// One group per Shamir share; a single group holds the whole data key.
    var keyGroups: [SopsKeyGroup]
    var shamirThreshold: Int?
    /// `lastmodified` exactly as stored; the MAC's additional data is derived from it.
    var lastModified: String
    /// The encrypted MAC (`ENC[…]`), or empty.
    var mac: String
    var cryptRule: SopsCryptRule?
    var macOnlyEncrypted: Bool
    var version: String

    /// The format version written into new files: the sops release whose layout we reproduce.
    static let writtenVersion = BuildInfo.sopsFormatVersion

    /// The MAC's additional data: Go's `time.Format(RFC3339)` of the parsed `lastmodified`
    /// (seconds precision; `Z` for UTC).
    var macAAD: String { SopsTime.rfc3339Seconds(lastModified) }

    /// Every age recipient, in group order.
    var ageRecipients: [String] { keyGroups.flatMap { $0.age.map(\.recipient) } }
}

/// One key group: the age master keys (recipient + armored data key or share) and how many
/// keys of other types it has.
struct SopsKeyGroup: Sendable, Equatable {
    var age: [SopsAgeKey]
    var otherKeys: [String] = []
}

/// An age master key as stored: the recipient string and the armored age file.
struct SopsAgeKey: Sendable, Equatable {
    var recipient: String
    var enc: String
}

extension SopsMetadata {
    /// Reads the `sops` value of any store; keys may come in any order, empty lists as null.
    init(_ value: SopsValue, file: String) throws(SopsError) {
        guard case .map = value else { throw .invalidMetadata(file: file, reason: "the sops key is not a map") }
        func string(_ key: String) -> String? {
            switch value[key] {
            case let .string(s)?: s
            case let .time(t)?: t.rfc3339
            case let .int(i)?: String(i)
            case let .float(d)?: YAMLFloatFormat.goFixed(d)
            case let .bool(b)?: b ? "true" : "false"
            default: nil
            }
        }
        if case let .list(groups)? = value["key_groups"], !groups.isEmpty {
            keyGroups = try groups.map { group throws(SopsError) in try SopsKeyGroup(group, file: file) }
        } else {
            keyGroups = [try SopsKeyGroup(value, file: file)]
        }
        shamirThreshold = string("shamir_threshold").flatMap { Int($0) ?? Double($0).map { Int($0) } }
        guard let lastModified = string("lastmodified") else {
            throw .invalidMetadata(file: file, reason: "lastmodified is missing")
        }
        self.lastModified = lastModified
        mac = string("mac") ?? ""
        var rules: [SopsCryptRule.Kind: String] = [:]
        for kind in SopsCryptRule.Kind.allCases {
            if let pattern = string(kind.rawValue), !pattern.isEmpty { rules[kind] = pattern }
        }
        cryptRule = try SopsCryptRule.choose(rules)
        macOnlyEncrypted = string("mac_only_encrypted").flatMap(GoStrconv.parseBool) ?? false
        version = string("version") ?? ""
    }

    /// The `sops` value in the 3.11/3.12 layout: struct order, empty top-level lists omitted,
    /// `hc_vault` and `age` always present inside key groups.
    func value(emptyKeyList: SopsValue) -> SopsValue {
        var items: [SopsItem] = []
        if keyGroups.count > 1 {
            items.append(SopsItem("shamir_threshold", .int(Int64(shamirThreshold ?? keyGroups.count))))
            items.append(SopsItem("key_groups", .list(keyGroups.map { group in
                .map([
                    SopsItem("hc_vault", emptyKeyList),
                    SopsItem("age", group.age.isEmpty ? emptyKeyList : .list(group.age.map(\.value))),
                ])
            })))
        } else if let group = keyGroups.first, !group.age.isEmpty {
            items.append(SopsItem("age", .list(group.age.map(\.value))))
        }
        items.append(SopsItem("lastmodified", .string(lastModified)))
        items.append(SopsItem("mac", .string(mac)))
        if let cryptRule { items.append(SopsItem(cryptRule.kind.rawValue, .string(cryptRule.pattern))) }
        if macOnlyEncrypted { items.append(SopsItem("mac_only_encrypted", .bool(true))) }
        items.append(SopsItem("version", .string(version)))
        return .map(items)
    }
}

extension SopsKeyGroup {
    static let otherKeyTypes = ["pgp", "kms", "gcp_kms", "azure_kv", "hc_vault", "hckms"]

    init(_ value: SopsValue, file: String) throws(SopsError) {
        var age: [SopsAgeKey] = []
        if case let .list(entries)? = value["age"] {
            for entry in entries {
                guard case let .string(recipient)? = entry["recipient"], case let .string(enc)? = entry["enc"] else {
                    throw .invalidMetadata(file: file, reason: "an age entry lacks recipient or enc")
                }
                age.append(SopsAgeKey(recipient: recipient, enc: enc))
            }
        }
        self.age = age
        for type in Self.otherKeyTypes {
            if case let .list(entries)? = value[type] {
                otherKeys += entries.map { _ in type }
            }
        }
    }
}

extension SopsAgeKey {
    var value: SopsValue { .map([SopsItem("recipient", .string(recipient)), SopsItem("enc", .string(enc))]) }
}

/// Times as sops writes and reads `lastmodified`.
enum SopsTime {
    /// `time.Now().UTC().Format(time.RFC3339)`.
    static func now() -> String {
        var t = timespec()
        clock_gettime(CLOCK_REALTIME, &t)
        var tmValue = tm()
        var seconds = t.tv_sec
        gmtime_r(&seconds, &tmValue)
        func pad(_ v: Int32, _ w: Int = 2) -> String {
            let s = String(v)
            return String(repeating: "0", count: max(0, w - s.count)) + s
        }
        return "\(pad(tmValue.tm_year + 1900, 4))-\(pad(tmValue.tm_mon + 1))-\(pad(tmValue.tm_mday))T\(pad(tmValue.tm_hour)):\(pad(tmValue.tm_min)):\(pad(tmValue.tm_sec))Z"
    }

    /// Re-renders an RFC 3339 time the way Go's `Format(time.RFC3339)` does after parsing:
    /// fractional seconds dropped, `+00:00` written as `Z`.
    static func rfc3339Seconds(_ text: String) -> String {
        guard let t = YAMLTimestampParser.parse(text) else { return text }
        var whole = t
        whole.nanosecond = 0
        return whole.rfc3339
    }
}
