import Foundation

/// The `.sops.yaml` creation rule bootstrap adds: files named `*.sops.yaml` anywhere in the
/// repository are encrypted for the cluster's age recipient, `data` and `stringData` only, so
/// kustomize and Flux can still read each Secret's kind and metadata.
enum SopsRuleFile {
    /// Matches `x.sops.yaml` in any directory but not the root `.sops.yaml` itself.
    static let pathRegex = #".+\.sops\.ya?ml$"#
    static let encryptedRegex = "^(data|stringData)$"

    static func rule(recipient: String) -> YAMLNode {
        ["path_regex": .init(string: pathRegex), "encrypted_regex": .init(string: encryptedRegex),
         "age": .init(string: recipient)]
    }

    /// The file with a rule for `recipient`: unchanged when some rule already encrypts to it,
    /// else the rule appended to `creation_rules` (created when missing) with every other byte kept.
    static func bytes(_ existing: [UInt8]?, recipient: String) throws(BootstrapError) -> [UInt8] {
        guard let existing, !existing.allSatisfy({ $0 == 0x20 || $0 == 0x0A }) else {
            return Array(newFile(recipient: recipient).utf8)
        }
        do {
            let stream = try YAMLParser().parse(existing, file: ".sops.yaml")
            guard let root = stream.documents.first?.root, root.isMapping else {
                throw BootstrapError.existingFile(path: ".sops.yaml", line: 1, column: 1, reason: "expected a mapping with creation_rules")
            }
            guard let rules = root["creation_rules"], !rules.isNullScalar else {
                return try stream.applying([.insert(into: YAMLPath(), key: "creation_rules",
                                                    value: YAMLNode(sequence: [rule(recipient: recipient)]))])
            }
            guard rules.isSequence else {
                let mark = rules.source.start
                throw BootstrapError.existingFile(path: ".sops.yaml", line: mark?.line ?? 1, column: mark?.column ?? 1,
                                                  reason: "creation_rules is not a list")
            }
            if rules.items.contains(where: { encrypts($0, to: recipient) }) { return existing }
            return try stream.applying([.append(to: "creation_rules", item: rule(recipient: recipient))])
        } catch let error as BootstrapError {
            throw error
        } catch {
            throw .unparsableFile("\(error)")
        }
    }

    /// sops accepts `age` as a comma-separated string or a list.
    static func encrypts(_ rule: YAMLNode, to recipient: String) -> Bool {
        guard let age = rule["age"] else { return false }
        let values = age.isSequence ? age.items.compactMap(\.string) : (age.string ?? "").split(separator: ",").map(String.init)
        return values.contains { $0.trimmingCharacters(in: .whitespacesAndNewlines) == recipient }
    }

    static func newFile(recipient: String) -> String {
        let document: YAMLNode = ["creation_rules": YAMLNode(sequence: [rule(recipient: recipient)])]
        return """
        # SOPS creation rules: `gitopsctl encrypt -i FILE` uses the first rule whose path_regex
        # matches FILE. Secrets named *.sops.yaml are encrypted for the cluster's age key (the
        # sops-age Secret in flux-system holds the identity).

        """ + YAMLEmitter.manifest.emit(document)
    }
}
