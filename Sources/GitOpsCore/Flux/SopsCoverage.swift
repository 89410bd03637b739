import Foundation

/// The `.sops.yaml` creation rules of a repository, used to check that every file a rule covers
/// is encrypted and its SOPS metadata well formed — without needing the key.
public struct SopsCoverage: Sendable {
    /// One `creation_rules` entry with a `path_regex`.
    public struct Rule: Sendable {
        public var index: Int
        public var pathRegex: String
        var regex: NSRegularExpression
    }

    public var rules: [Rule]
    /// The config file, relative to the repository root.
    public var configFile: String

    /// Reads `<root>/.sops.yaml`; nil when there is none.
    public init?(root: String) throws(FluxError) {
        let path = root + "/.sops.yaml"
        guard let data = FileManager.default.contents(atPath: path) else { return nil }
        configFile = ".sops.yaml"
        let stream: YAMLStream
        do { stream = try YAMLParser().parse(Array(data), file: ".sops.yaml") } catch let error {
            throw .invalidField(file: ".sops.yaml", at: nil, object: "creation_rules", field: "", problem: "\(error)")
        }
        var rules: [Rule] = []
        for (index, rule) in (stream.documents.first?.root?["creation_rules"]?.items ?? []).enumerated() {
            guard let pattern = rule["path_regex"]?.scalar else { continue }
            guard let regex = try? NSRegularExpression(pattern: pattern) else {
                throw .invalidField(file: ".sops.yaml", at: rule["path_regex"]?.source.start, object: "creation_rules",
                                    field: "creation_rules[\(index)].path_regex", problem: "invalid regular expression")
            }
            rules.append(Rule(index: index, pathRegex: pattern, regex: regex))
        }
        self.rules = rules
    }

    /// The first rule whose `path_regex` matches `relativePath` (sops compares the path relative
    /// to the config file's directory), as sops picks it.
    public func rule(for relativePath: String) -> Rule? {
        let range = NSRange(relativePath.startIndex..., in: relativePath)
        return rules.first { $0.regex.firstMatch(in: relativePath, range: range) != nil }
    }

    static let encryptedValue = try? NSRegularExpression(
        pattern: #"^ENC\[AES256_GCM,data:[A-Za-z0-9+/=]*,iv:[A-Za-z0-9+/=]+,tag:[A-Za-z0-9+/=]+,type:(str|int|float|bool|bytes|comment)\]$"#)

    static func isEncryptedValue(_ text: String) -> Bool {
        encryptedValue?.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)) != nil
    }

    /// What is wrong with a covered YAML document's encryption, or nil when it is encrypted
    /// and its metadata is complete.
    public static func problem(in document: YAMLNode) -> (message: String, at: YAMLMark?)? {
        guard let sops = document["sops"], sops.isMapping else {
            return ("not encrypted (no sops metadata)", document.source.start)
        }
        guard let mac = sops["mac"]?.scalar, isEncryptedValue(mac) else {
            return ("malformed SOPS metadata: sops.mac is missing or not an ENC[...] value", sops.source.start)
        }
        for field in ["lastmodified", "version"] where sops[field]?.scalar == nil {
            return ("malformed SOPS metadata: sops.\(field) is missing", sops.source.start)
        }
        let keyFields = ["age", "pgp", "kms", "gcp_kms", "azure_kv", "hc_vault", "key_groups"]
        guard keyFields.contains(where: { !(sops[$0]?.items.isEmpty ?? true) }) else {
            return ("malformed SOPS metadata: no recipients (age, pgp, kms, ...)", sops.source.start)
        }
        for (index, entry) in (sops["age"]?.items ?? []).enumerated() {
            guard entry["recipient"]?.scalar != nil,
                  entry["enc"]?.scalar?.contains("-----BEGIN AGE ENCRYPTED FILE-----") == true else {
                return ("malformed SOPS metadata: sops.age[\(index)] needs recipient and an armored enc", entry.source.start)
            }
        }
        let regex = sops["encrypted_regex"]?.scalar.flatMap { try? NSRegularExpression(pattern: $0) }
        let top = YAMLNode(mapping: document.entries.filter { $0.key.scalar != "sops" })
        if let bad = firstPlainLeaf(top, covered: regex == nil, regex: regex) {
            return ("malformed SOPS file: a value is not encrypted", bad.source.start)
        }
        return nil
    }

    /// sops encrypts a value when any key on its path matches `encrypted_regex` (every value
    /// when there is no regex); the first such value left in plain text, if any.
    private static func firstPlainLeaf(_ node: YAMLNode, covered: Bool, regex: NSRegularExpression?) -> YAMLNode? {
        switch node.content {
        case let .scalar(text):
            return !covered || isEncryptedValue(text) || node.isNull ? nil : node
        case let .sequence(items):
            return items.lazy.compactMap { firstPlainLeaf($0, covered: covered, regex: regex) }.first
        case let .mapping(pairs):
            return pairs.lazy.compactMap { pair -> YAMLNode? in
                let key = pair.key.scalar ?? ""
                let matches = regex?.firstMatch(in: key, range: NSRange(key.startIndex..., in: key)) != nil
                return firstPlainLeaf(pair.value, covered: covered || matches, regex: regex)
            }.first
        }
    }
}
