/// sops's dotenv store (stores/dotenv/store.go): `KEY=value` lines, `#` comment lines, `\n`
/// escapes, and the metadata flattened into `sops_…` lines sorted by key.
struct SopsDotenvStore: SopsStore {
    static let metadataPrefix = "sops_"

    func load(_ bytes: [UInt8], file: String) throws(SopsError) -> SopsLoaded {
        var items: [SopsItem] = []
        var metadataLines: [(String, String)] = []
        for (index, raw) in bytes.split(separator: 10, omittingEmptySubsequences: false).enumerated() {
            guard !raw.isEmpty else { continue }
            let line = String(decoding: raw, as: UTF8.self)
            if line.hasPrefix("#") {
                items.append(SopsItem(comment: String(line.dropFirst())))
                continue
            }
            guard let equals = line.firstIndex(of: "=") else {
                throw .unsupportedDocument(file: file, reason: "line \(index + 1): invalid dotenv input line (no '=')")
            }
            let key = String(line[..<equals])
            let value = Self.unescape(String(line[line.index(after: equals)...]))
            if key.hasPrefix(Self.metadataPrefix) {
                metadataLines.append((String(key.dropFirst(Self.metadataPrefix.count)), value))
            } else {
                items.append(SopsItem(key, .string(value)))
            }
        }
        let metadata = metadataLines.isEmpty ? nil : try SopsFlatMetadata.unflatten(metadataLines, file: file)
        return SopsLoaded(documents: SopsDocuments(branches: [items]), metadata: metadata)
    }

    func emit(_ documents: SopsDocuments, metadata: SopsValue?) throws(SopsError) -> [UInt8] {
        var out = ""
        for item in documents.branches.first ?? [] {
            switch item.key {
            case let .comment(text):
                out += "#" + text + "\n"
            case let .name(name):
                guard let text = Self.text(of: item.value) else {
                    throw .unsupportedDocument(file: "<dotenv>", reason: "cannot write \(name): dotenv values must be strings")
                }
                out += name + "=" + Self.escape(text) + "\n"
            }
        }
        if let metadata {
            for (key, value) in SopsFlatMetadata.flatten(metadata).sorted(by: { $0.0 < $1.0 }) {
                out += Self.metadataPrefix + key + "=" + Self.escape(value) + "\n"
            }
        }
        return Array(out.utf8)
    }

    func emitValue(_ value: SopsValue) throws(SopsError) -> [UInt8] {
        guard case let .string(s) = value else { throw .extractUnsupported(format: "dotenv (non-string value)") }
        return Array(s.utf8)
    }

    static func text(of value: SopsValue) -> String? {
        switch value {
        case let .string(s): s
        case let .bytes(b): String(decoding: b, as: UTF8.self)
        case let .int(i): String(i)
        case let .float(d): YAMLFloatFormat.goFixed(d)
        case let .bool(b): b ? "true" : "false"
        case .null: ""
        default: nil
        }
    }

    static func escape(_ text: String) -> String { text.replacingOccurrences(of: "\n", with: "\\n") }
    static func unescape(_ text: String) -> String { text.replacingOccurrences(of: "\\n", with: "\n") }
}

/// sops's flattened metadata (stores/flatten.go): nested keys joined with `__map_`, list
/// indices with `__list_<i>`.
enum SopsFlatMetadata {
    static let mapSeparator = "__map_"
    static let listSeparator = "__list_"

    static func flatten(_ value: SopsValue) -> [(String, String)] {
        var out: [(String, String)] = []
        guard case let .map(items) = value else { return out }
        for item in items {
            guard case let .name(name) = item.key else { continue }
            flatten(item.value, prefix: name, into: &out)
        }
        return out
    }

    private static func flatten(_ value: SopsValue, prefix: String, into out: inout [(String, String)]) {
        switch value {
        case let .map(items):
            for item in items {
                guard case let .name(name) = item.key else { continue }
                flatten(item.value, prefix: prefix + mapSeparator + name, into: &out)
            }
        case let .list(items):
            for (index, item) in items.enumerated() {
                flatten(item, prefix: prefix + listSeparator + String(index), into: &out)
            }
        case .null:
            break
        default:
            if let text = SopsDotenvStore.text(of: value) { out.append((prefix, text)) }
        }
    }

    /// Rebuilds the nested metadata from `key=value` pairs (keys without the `sops_` prefix).
    static func unflatten(_ lines: [(String, String)], file: String) throws(SopsError) -> SopsValue {
        var root = Node.map([])
        for (key, value) in lines {
            var components: [Component] = []
            var rest = Substring(key)
            guard let first = nextComponent(&rest) else { continue }
            components.append(.key(String(first)))
            while !rest.isEmpty {
                if rest.hasPrefix(mapSeparator) {
                    rest = rest.dropFirst(mapSeparator.count)
                    components.append(.key(String(nextComponent(&rest) ?? "")))
                } else if rest.hasPrefix(listSeparator) {
                    rest = rest.dropFirst(listSeparator.count)
                    guard let index = Int(nextComponent(&rest) ?? "") else {
                        throw .invalidMetadata(file: file, reason: "bad list index in sops_\(key)")
                    }
                    components.append(.index(index))
                } else {
                    throw .invalidMetadata(file: file, reason: "cannot read metadata key sops_\(key)")
                }
            }
            root.insert(value, at: components[...])
        }
        return root.value
    }

    /// The text up to the next `__map_`/`__list_` separator.
    private static func nextComponent(_ rest: inout Substring) -> Substring? {
        var end = rest.endIndex
        for separator in [mapSeparator, listSeparator] {
            if let r = rest.range(of: separator), r.lowerBound < end { end = r.lowerBound }
        }
        let component = rest[..<end]
        rest = rest[end...]
        return component
    }

    private enum Component {
        case key(String)
        case index(Int)
    }

    private indirect enum Node {
        case map([(String, Node)])
        case list([Int: Node])
        case leaf(String)

        mutating func insert(_ value: String, at path: ArraySlice<Component>) {
            guard let head = path.first else { self = .leaf(value); return }
            switch head {
            case let .key(name):
                var entries: [(String, Node)] = []
                if case let .map(existing) = self { entries = existing }
                if let i = entries.firstIndex(where: { $0.0 == name }) {
                    entries[i].1.insert(value, at: path.dropFirst())
                } else {
                    var child = Node.leaf("")
                    child.insert(value, at: path.dropFirst())
                    entries.append((name, child))
                }
                self = .map(entries)
            case let .index(i):
                var entries: [Int: Node] = [:]
                if case let .list(existing) = self { entries = existing }
                var child = entries[i] ?? .leaf("")
                child.insert(value, at: path.dropFirst())
                entries[i] = child
                self = .list(entries)
            }
        }

        var value: SopsValue {
            switch self {
            case let .map(entries): .map(entries.map { SopsItem($0.0, $0.1.value) })
            case let .list(entries): .list(entries.keys.sorted().compactMap { entries[$0]?.value })
            case let .leaf(text): .string(text)
            }
        }
    }
}
