import Foundation

/// The `creation_rules` of a `.sops.yaml`, as far as tenant secrets need them: which rule
/// covers a path, and adding or removing the rule of one tenant's `secrets/` directory.
///
/// Paths are matched as sops matches them: relative to the directory of `.sops.yaml`,
/// `path_regex` searched anywhere in the path (Go `regexp.MatchString`), first rule wins.
struct SopsCreationRules {
    static let key = "creation_rules"
    let stream: YAMLStream

    init(_ stream: YAMLStream) {
        self.stream = stream
    }

    /// The index of the first rule whose `path_regex` matches `path`.
    func ruleIndex(covering path: String) throws(CapsuleError) -> Int? {
        for (index, rule) in try rules().enumerated() {
            guard let pattern = rule["path_regex"]?.scalar else { continue }
            guard let regex = try? NSRegularExpression(pattern: pattern) else { continue }
            if regex.firstMatch(in: path, range: NSRange(path.startIndex..., in: path)) != nil { return index }
        }
        return nil
    }

    /// The `path_regex` of the rule for files under `directory` (relative to `.sops.yaml`).
    static func pathRegex(forSecretsIn directory: String) -> String {
        escaped(directory) + #"/.*\.ya?ml$"#
    }

    /// The file with a rule for `directory` appended: a copy of rule `template` with only its
    /// `path_regex` changed, or, without a template, a rule encrypting `data`/`stringData`
    /// for `recipients`.
    func adding(ruleFor directory: String, copying template: Int?, recipients: [String]) throws(CapsuleError) -> [UInt8] {
        let regex = Self.pathRegex(forSecretsIn: directory)
        guard let template else {
            let rule = YAMLNode(mapping: [
                YAMLPair("path_regex", YAMLNode(scalar: regex)),
                YAMLPair("encrypted_regex", YAMLNode(scalar: "^(data|stringData)$")),
                YAMLPair("age", YAMLNode(scalar: recipients.joined(separator: ","))),
            ])
            return try stream.addingToTenantList(Self.key, rule)
        }
        let rules = try rules()
        guard rules.indices.contains(template), let old = rules[template]["path_regex"],
              old.isScalar, old.style != .literal, old.style != .folded else {
            throw .unexpectedLayout(file: stream.file, reason: "creation rule \(template + 1) has no path_regex to copy")
        }
        // The copy keeps the template's layout and quoting; its comments described the other
        // tenant's path, so the copy has none.
        let copy = YAMLPath([.key(Self.key), .index(rules.count), .key("path_regex")])
        return try stream.edited([.appendCopy(of: YAMLPath([.key(Self.key), .index(template)])),
                                  .set(copy, YAMLNode(scalar: regex, style: old.style))])
    }

    /// The file without the rule `adding` would have written for `directory`.
    func removing(ruleFor directory: String) throws(CapsuleError) -> [UInt8] {
        let regex = Self.pathRegex(forSecretsIn: directory)
        guard let index = try rules().firstIndex(where: { $0["path_regex"]?.scalar == regex }) else {
            return stream.bytes
        }
        return try stream.removingFromTenantList(Self.key, at: index)
    }

    /// Whether the file has a rule written for exactly `directory`.
    func hasRule(for directory: String) throws(CapsuleError) -> Bool {
        let regex = Self.pathRegex(forSecretsIn: directory)
        return try rules().contains { $0["path_regex"]?.scalar == regex }
    }

    private func rules() throws(CapsuleError) -> [YAMLNode] {
        try stream.tenantListItems(Self.key)
    }

    /// `text` with regex metacharacters escaped (Go RE2 and ICU agree on these).
    static func escaped(_ text: String) -> String {
        var out = ""
        for character in text {
            if #"\.+*?()|[]{}^$"#.contains(character) { out.append("\\") }
            out.append(character)
        }
        return out
    }
}
