import Foundation

/// The data key of a file and its wrapping for age master keys, per key group
/// (getsops/sops sops.go GenerateDataKey / GetDataKeyWithKeyServices, age/keysource.go).
enum SopsDataKey {
    static let size = 32

    static func generate() -> SecretBytes { SecretBytes.random(count: size) }

    /// Wraps `dataKey` for every recipient: one group holds the key itself, several groups
    /// each hold a Shamir share (threshold defaults to the number of groups).
    static func wrap(_ dataKey: SecretBytes, for groups: [[String]], threshold: Int?) throws(SopsError) -> (groups: [SopsKeyGroup], threshold: Int?) {
        let groups = groups.filter { !$0.isEmpty }
        guard !groups.isEmpty else { throw .noRecipients(file: "") }
        if groups.count == 1 {
            return ([SopsKeyGroup(age: try wrap(dataKey, recipients: groups[0]))], nil)
        }
        let threshold = threshold ?? groups.count
        guard threshold >= 2, threshold <= groups.count else {
            throw .invalidConfig(file: ".sops.yaml", reason: "shamir_threshold \(threshold) must be between 2 and the number of key groups (\(groups.count))")
        }
        let shares = SopsShamir.split(dataKey, parts: groups.count, threshold: threshold)
        var wrapped: [SopsKeyGroup] = []
        for (group, share) in zip(groups, shares) {
            wrapped.append(SopsKeyGroup(age: try wrap(share, recipients: group)))
        }
        return (wrapped, threshold)
    }

    private static func wrap(_ secret: SecretBytes, recipients: [String]) throws(SopsError) -> [SopsAgeKey] {
        var keys: [SopsAgeKey] = []
        for text in recipients {
            let recipient = text.trimmingCharacters(in: .whitespacesAndNewlines)
            do {
                let parsed = try AgeRecipient(parsing: recipient)
                keys.append(SopsAgeKey(recipient: recipient, enc: try AgeDataKey.wrap(secret, for: parsed)))
            } catch let error as CryptoError {
                throw .keys(error.description)
            } catch {
                throw .keys("\(error)")
            }
        }
        return keys
    }

    /// Recovers the data key with the identities at hand. Within a group the first key that
    /// decrypts wins; with Shamir, at least `threshold` groups must give their share.
    static func unwrap(_ metadata: SopsMetadata, identities: [AgeIdentity], file: String) throws(SopsError) -> SecretBytes {
        var report: [String] = []
        var secrets: [SecretBytes] = []
        for (index, group) in metadata.keyGroups.enumerated() {
            var failures: [String] = []
            var found: SecretBytes?
            for key in group.age {
                do {
                    found = try AgeDataKey.unwrap(key.enc, with: identities)
                    break
                } catch {
                    failures.append("  \(key.recipient): FAILED\n    - | failed to decrypt sops data key with age: \(reason(error, identities: identities))")
                }
            }
            for type in group.otherKeys { failures.append("  (\(type) key): FAILED\n    - | gitopsctl only decrypts with age keys") }
            if let found {
                secrets.append(found)
                report.append("Group \(index): SUCCESS")
            } else {
                report.append("Group \(index): FAILED\n" + failures.joined(separator: "\n"))
            }
        }
        if metadata.keyGroups.count == 1 {
            if let key = secrets.first, key.count == size { return key }
        } else {
            let threshold = metadata.shamirThreshold ?? metadata.keyGroups.count
            if secrets.count >= threshold, let key = SopsShamir.combine(Array(secrets.prefix(max(threshold, 2)))), key.count == size {
                return key
            }
            report.append("\nRecovery failed because only \(secrets.count) of the \(threshold) key groups needed could be decrypted.")
            throw .dataKeyUnavailable(file: file, report: report.joined(separator: "\n"))
        }
        report.append("\nRecovery failed because no master key was able to decrypt the file. In order for SOPS to recover the file, at least one key has to be successful, but none were.")
        throw .dataKeyUnavailable(file: file, report: report.joined(separator: "\n"))
    }

    private static func reason(_ error: Error, identities: [AgeIdentity]) -> String {
        if identities.isEmpty { return "no age identity found (SOPS_AGE_KEY, SOPS_AGE_KEY_FILE, ~/.config/sops/age/keys.txt)" }
        if let error = error as? CryptoError { return error.description }
        return "\(error)"
    }
}
