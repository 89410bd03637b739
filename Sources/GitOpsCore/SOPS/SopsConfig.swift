#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// A `.sops.yaml` file: creation rules tried in order and output settings
/// (getsops/sops config/config.go). Only used when encrypting and for `updatekeys`;
/// decryption takes everything from the file's own metadata.
public struct SopsConfig: Sendable {
    /// Absolute path of the config file.
    public let path: String
    public let creationRules: [SopsCreationRule]
    public let stores: SopsStoreSettings

    /// sops looks in the working directory and up to 100 parents for `.sops.yaml`
    /// (not `.sops.yml`), never in the file's own directory. Plain path strings and access(2),
    /// which is what FileManager.isReadableFile runs: URL standardisation per level cost more
    /// than the rest of the lookup.
    public static func find(from directory: String) -> String? {
        var components = standardizedComponents(directory)
        for _ in 0..<100 {
            let candidate = "/" + (components + [".sops.yaml"]).joined(separator: "/")
            if access(candidate, R_OK) == 0 { return candidate }
            if components.isEmpty { break }
            components.removeLast()
        }
        return nil
    }

    /// The components of `directory` made absolute against the working directory, without
    /// `.`, `..` or empty parts (as URL.standardizedFileURL, which does not resolve symlinks).
    private static func standardizedComponents(_ directory: String) -> [String] {
        let absolute = directory.hasPrefix("/") ? directory : FileManager.default.currentDirectoryPath + "/" + directory
        var components: [String] = []
        for part in absolute.split(separator: "/", omittingEmptySubsequences: true) {
            switch part {
            case ".": continue
            case "..": if !components.isEmpty { components.removeLast() }
            default: components.append(String(part))
            }
        }
        return components
    }

    public init(contentsOf path: String) throws(SopsError) {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw .cannotReadFile(path: path, reason: "cannot read the config file")
        }
        try self.init(bytes: [UInt8](data), path: URL(fileURLWithPath: path).standardizedFileURL.path)
    }

    init(bytes: [UInt8], path: String) throws(SopsError) {
        self.path = path
        let root: YAMLNode?
        do {
            root = try YAMLParser().parse(bytes, file: path).documents.first?.root
        } catch let error as YAMLError {
            throw .invalidConfig(file: path, reason: error.description)
        } catch {
            throw .invalidConfig(file: path, reason: "\(error)")
        }
        var rules: [SopsCreationRule] = []
        for (index, node) in (root?["creation_rules"]?.items ?? []).enumerated() {
            rules.append(try SopsCreationRule(node, index: index, file: path))
        }
        creationRules = rules
        stores = SopsStoreSettings(yamlIndent: root?["stores"]?["yaml"]?["indent"]?.int,
                                   jsonIndent: root?["stores"]?["json"]?["indent"]?.int,
                                   jsonBinaryIndent: root?["stores"]?["json_binary"]?["indent"]?.int)
    }

    /// The first rule whose `path_regex` matches `file` (a rule without one matches all).
    /// The regex sees the absolute path with `<config dir>/` removed, as sops does.
    public func rule(for file: String, workingDirectory: String) throws(SopsError) -> SopsCreationRule {
        guard !creationRules.isEmpty else { throw .configNotFound }
        let subject = relativePath(of: file, workingDirectory: workingDirectory)
        for rule in creationRules {
            guard let matcher = rule.pathMatcher else { return rule }
            if matcher.matches(subject) { return rule }
        }
        throw .noMatchingCreationRule(file: subject, config: path,
                                      rulesTried: creationRules.map { $0.pathRegex.map { "path_regex \($0)" } ?? "(any path)" })
    }

    /// Whether some creation rule covers `file` (for `-r DIR`).
    public func covers(_ file: String, workingDirectory: String) -> Bool {
        (try? rule(for: file, workingDirectory: workingDirectory)) != nil
    }

    func relativePath(of file: String, workingDirectory: String) -> String {
        let absolute = file.hasPrefix("/") ? file : workingDirectory + "/" + file
        let standardized = URL(fileURLWithPath: absolute).standardizedFileURL.path
        let directory = URL(fileURLWithPath: path).deletingLastPathComponent().path
        let prefix = directory.hasSuffix("/") ? directory : directory + "/"
        return standardized.hasPrefix(prefix) ? String(standardized.dropFirst(prefix.count)) : standardized
    }
}

/// One entry of `creation_rules`.
public struct SopsCreationRule: Sendable {
    /// Position in the file, from 0.
    public let index: Int
    public let pathRegex: String?
    /// `pathRegex` compiled once: `-r` matches every file of a tree against it.
    let pathMatcher: GoRegex?
    /// age recipients per key group (one group unless `key_groups` is used).
    public let keyGroups: [[String]]
    public let shamirThreshold: Int?
    let cryptRules: [String: String]
    public let macOnlyEncrypted: Bool

    init(_ node: YAMLNode, index: Int, file: String) throws(SopsError) {
        self.index = index
        pathRegex = node["path_regex"]?.scalar
        pathMatcher = try pathRegex.map { pattern throws(SopsError) in try GoRegex(pattern) }
        if let groups = node["key_groups"]?.items, !groups.isEmpty {
            keyGroups = groups.map { Self.recipients($0["age"]) }
        } else {
            keyGroups = [Self.recipients(node["age"])]
        }
        shamirThreshold = node["shamir_threshold"]?.int
        var rules: [String: String] = [:]
        for kind in SopsCryptRule.Kind.allCases {
            if let pattern = node[kind.rawValue]?.scalar, !pattern.isEmpty { rules[kind.rawValue] = pattern }
        }
        guard rules.count <= 1 else {
            throw .invalidConfig(file: file, reason: "creation rule \(index + 1): only one of \(rules.keys.sorted().joined(separator: ", ")) may be set")
        }
        cryptRules = rules
        macOnlyEncrypted = node["mac_only_encrypted"]?.bool() ?? false
    }

    /// `age` as a comma-separated string or a list; duplicates removed, order kept.
    private static func recipients(_ node: YAMLNode?) -> [String] {
        guard let node else { return [] }
        let raw: [String] = if node.isSequence {
            node.items.compactMap(\.scalar)
        } else {
            (node.scalar ?? "").split(separator: ",").map(String.init)
        }
        var seen = Set<String>()
        return raw.map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }.filter { !$0.isEmpty && seen.insert($0).inserted }
    }

    public func settings() throws(SopsError) -> SopsEncryptionSettings {
        try SopsEncryptionSettings(keyGroups: keyGroups, shamirThreshold: shamirThreshold, cryptRules: cryptRules,
                                   macOnlyEncrypted: macOnlyEncrypted)
    }

    /// A few lines for `encrypt --show-rule`.
    public var summary: String {
        var lines = ["creation rule \(index + 1)" + (pathRegex.map { " (path_regex: \($0))" } ?? " (no path_regex: matches every file)")]
        for (i, group) in keyGroups.enumerated() {
            let label = keyGroups.count > 1 ? "key group \(i + 1) age" : "age"
            lines.append("  \(label): " + (group.isEmpty ? "(none)" : group.joined(separator: ", ")))
        }
        if let shamirThreshold { lines.append("  shamir_threshold: \(shamirThreshold)") }
        for (name, pattern) in cryptRules { lines.append("  \(name): \(pattern)") }
        if macOnlyEncrypted { lines.append("  mac_only_encrypted: true") }
        return lines.joined(separator: "\n")
    }
}
