/// A value in sops's internal tree (getsops/sops sops.go): ordered maps whose keys are names or
/// comments, lists (which may hold comments as items), and typed scalars. Every store reads
/// into this shape and writes from it, so the walk, the MAC and the cipher see one model.
enum SopsValue: Sendable, Equatable {
    case map([SopsItem])
    case list([SopsValue])
    case string(String)
    /// Bytes that are not UTF-8 text: a binary file's contents, or a `type:bytes` value.
    case bytes([UInt8])
    case int(Int64)
    case float(Double)
    case bool(Bool)
    case time(YAMLTimestamp)
    /// A comment that is an item of a list; comments in maps are `SopsKey.comment`.
    case comment(String)
    case null

    static func == (lhs: SopsValue, rhs: SopsValue) -> Bool {
        switch (lhs, rhs) {
        case let (.map(a), .map(b)): a == b
        case let (.list(a), .list(b)): a == b
        case let (.string(a), .string(b)): a == b
        case let (.bytes(a), .bytes(b)): a == b
        case let (.int(a), .int(b)): a == b
        case let (.float(a), .float(b)): a == b || (a.isNaN && b.isNaN)
        case let (.bool(a), .bool(b)): a == b
        case let (.time(a), .time(b)): a == b
        case let (.comment(a), .comment(b)): a == b
        case (.null, .null): true
        default: false
        }
    }

    /// The map's items, or nil for any other value.
    var items: [SopsItem]? {
        if case let .map(items) = self { return items }
        return nil
    }

    /// The value under `key` in a map.
    subscript(key: String) -> SopsValue? {
        items?.first { $0.key == .name(key) }?.value
    }
}

/// One entry of a sops map: a named value, or a comment line (then `value` is `.null`).
struct SopsItem: Sendable, Equatable {
    var key: SopsKey
    var value: SopsValue

    init(_ name: String, _ value: SopsValue) {
        key = .name(name)
        self.value = value
    }

    init(comment: String) {
        key = .comment(comment)
        value = .null
    }
}

/// A map key: sops keeps comments as keys of their own, in order among the entries.
enum SopsKey: Sendable, Equatable {
    case name(String)
    case comment(String)
}

/// A whole file: one branch per YAML document (JSON, dotenv and binary have one).
struct SopsDocuments: Sendable, Equatable {
    var branches: [[SopsItem]]
}
