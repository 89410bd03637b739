/// Finds where in a YAML or JSON file a bad `ENC[…]` value sits, so the error can name its
/// `line:col` (the tree the cipher walks carries no positions).
enum SopsSourceLocator {
    /// The position of the first value that starts like `ENC[` but does not parse.
    static func firstMalformedValue(in bytes: [UInt8], format: SopsFormat) -> YAMLMark? {
        let stream: YAMLStream?
        switch format {
        case .yaml: stream = try? YAMLParser().parse(bytes)
        case .json, .binary: stream = try? JSONParser().parse(bytes)
        case .dotenv: return nil
        }
        for document in stream?.documents ?? [] {
            if let root = document.root, let mark = search(root) { return mark }
        }
        return nil
    }

    private static func search(_ node: YAMLNode) -> YAMLMark? {
        switch node.content {
        case let .scalar(text):
            guard text.hasPrefix("ENC["), EncryptedValue(parsing: text) == nil else { return nil }
            return node.source.start
        case let .sequence(items):
            return items.lazy.compactMap(search).first
        case let .mapping(pairs):
            return pairs.lazy.compactMap { search($0.value) }.first
        }
    }
}
