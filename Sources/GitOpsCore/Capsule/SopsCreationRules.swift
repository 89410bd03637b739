import Foundation

/// The `creation_rules` of a `.sops.yaml`, as far as tenant secrets need them: which rule
/// covers a path, and adding or removing the rule of one tenant's `secrets/` directory.
///
/// Paths are matched as sops matches them: relative to the directory of `.sops.yaml`,
/// `path_regex` searched anywhere in the path (Go `regexp.MatchString`), first rule wins.
struct SopsCreationRules {
    let stream: YAMLStream
    private var list: ListSplice { ListSplice(stream, key: "creation_rules") }

    init(_ stream: YAMLStream) {
        self.stream = stream
    }

    /// The index of the first rule whose `path_regex` matches `path`.
    func ruleIndex(covering path: String) throws(CapsuleError) -> Int? {
        for (index, rule) in try list.items().enumerated() {
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
        let lines: [String]
        if let template {
            lines = try copiedRule(template, pathRegex: regex)
        } else {
            lines = ["path_regex: \(regex)", "encrypted_regex: ^(data|stringData)$",
                     "age: \(recipients.joined(separator: ","))"]
        }
        return try list.inserting(lines)
    }

    /// The file without the rule `adding` would have written for `directory`.
    func removing(ruleFor directory: String) throws(CapsuleError) -> [UInt8] {
        let regex = Self.pathRegex(forSecretsIn: directory)
        guard let index = try list.items().firstIndex(where: { $0["path_regex"]?.scalar == regex }) else {
            return stream.bytes
        }
        return try list.removing(at: index)
    }

    /// Whether the file has a rule written for exactly `directory`.
    func hasRule(for directory: String) throws(CapsuleError) -> Bool {
        let regex = Self.pathRegex(forSecretsIn: directory)
        return try list.items().contains { $0["path_regex"]?.scalar == regex }
    }

    /// Rule `index`'s lines without the leading dash, its `path_regex` value replaced.
    private func copiedRule(_ index: Int, pathRegex: String) throws(CapsuleError) -> [String] {
        let (text, offset) = try list.sourceLines(of: index)
        let rule = try list.items()[index]
        guard let pair = rule.entries.first(where: { $0.key.scalar == "path_regex" }),
              let range = pair.value.source.byteRange, pair.value.style != .literal, pair.value.style != .folded else {
            throw .unexpectedLayout(file: stream.file, reason: "creation rule \(index + 1) has no path_regex to copy")
        }
        let replacement: String
        switch pair.value.style {
        case .singleQuoted: replacement = "'" + pathRegex.replacingOccurrences(of: "'", with: "''") + "'"
        case .doubleQuoted: replacement = "\"" + pathRegex.replacingOccurrences(of: "\\", with: "\\\\") + "\""
        default: replacement = pathRegex
        }
        var bytes = Array(text.utf8)
        // The copied rule keeps its layout but not a comment after its path_regex, which
        // described the other tenant's path.
        var valueEnd = range.upperBound - offset
        var lineEnd = valueEnd
        while lineEnd < bytes.count, bytes[lineEnd] != UInt8(ascii: "\n") { lineEnd += 1 }
        let trailing = String(decoding: bytes[valueEnd..<lineEnd], as: UTF8.self)
        if trailing.trimmingCharacters(in: .whitespaces).hasPrefix("#") { valueEnd = lineEnd }
        bytes.replaceSubrange((range.lowerBound - offset)..<valueEnd, with: Array(replacement.utf8))
        var lines = String(decoding: bytes, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
        if lines.last == "" { lines.removeLast() }
        // The splice writes the list's own dash and indentation back in front of each line.
        let dashWidth = lines.first?.prefix { $0 == " " || $0 == "-" }.count ?? 0
        return lines.enumerated().map { index, line in
            let strip = index == 0 ? dashWidth : min(dashWidth, line.prefix { $0 == " " }.count)
            return String(line.dropFirst(strip))
        }
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
