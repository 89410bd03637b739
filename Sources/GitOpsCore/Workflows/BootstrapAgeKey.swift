import Foundation

/// The age identity a bootstrap puts in the `sops-age` Secret and whose recipient goes into
/// `.sops.yaml`: an existing key file, or one generated outside the repository.
public struct BootstrapAgeKey: Sendable {
    /// Where the identity comes from.
    public enum Source: Sendable, Equatable {
        /// `--age-key FILE`.
        case file(String)
        /// `--generate-age-key`: written to this path (0600) unless an identity is already there,
        /// which a re-run then reuses.
        case generate(at: String)
    }

    public let path: String
    public let recipient: String
    public let wasGenerated: Bool
    /// The key file's bytes, as `kubectl create secret generic sops-age --from-file=age.agekey=FILE`
    /// would store them; zeroed when the last copy goes.
    let fileBytes: SecretBytes

    /// Reads or creates the identity. A file that does not parse is reported with its line,
    /// never with its text.
    public static func load(_ source: Source) throws(BootstrapError) -> BootstrapAgeKey {
        switch source {
        case let .file(path):
            return try read(path, generated: false)
        case let .generate(path):
            if FileManager.default.fileExists(atPath: path) {
                do {
                    return try read(path, generated: false)
                } catch {
                    throw .keyExists(path: path)
                }
            }
            return try generate(at: path)
        }
    }

    private static func read(_ path: String, generated: Bool) throws(BootstrapError) -> BootstrapAgeKey {
        guard var bytes = FileManager.default.contents(atPath: path).map(Array.init) else {
            throw .keyFile(path: path, line: 0, reason: "cannot read the file")
        }
        let identities: [AgeIdentity]
        do {
            identities = try AgeIdentity.parseIdentityFile(bytes, source: path)
        } catch {
            Sodium.zero(&bytes)
            switch error {
            case let .malformedIdentity(_, line, reason): throw .keyFile(path: path, line: line, reason: reason)
            default: throw .keyFile(path: path, line: 0, reason: error.description)
            }
        }
        let recipients = identities.compactMap { identity -> X25519Recipient? in
            if case let .x25519(key) = identity { return key.recipient }
            return nil
        }
        guard let recipient = recipients.first else {
            Sodium.zero(&bytes)
            throw .keyNotX25519(path: path)
        }
        return BootstrapAgeKey(path: path, recipient: recipient.description, wasGenerated: generated,
                               fileBytes: SecretBytes(consuming: &bytes))
    }

    private static func generate(at path: String) throws(BootstrapError) -> BootstrapAgeKey {
        let directory = (path as NSString).deletingLastPathComponent
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true,
                                                    attributes: [.posixPermissions: 0o700])
            let identity = try X25519Identity.generate()
            var bytes = Array(AgeKeyFile.contents(for: identity).utf8)
            defer { Sodium.zero(&bytes) }
            try AtomicFileWriter.write(bytes, to: path, mode: 0o600, existing: .refuse)
        } catch {
            throw .write(path: path, reason: "\(error)")
        }
        return try read(path, generated: true)
    }

    /// Whether `other` (e.g. the `age.agekey` of an existing Secret) holds the same X25519
    /// identity: compared by recipient, so comments and line endings do not matter.
    func sameIdentity(as other: [UInt8]) -> Bool {
        guard let identities = try? AgeIdentity.parseIdentityFile(other, source: "Secret") else { return false }
        return identities.contains { identity in
            if case let .x25519(key) = identity { return key.recipient.description == recipient }
            return false
        }
    }

    /// Refuses a key file inside the work tree that git would commit: tracked already, or not
    /// ignored and not covered by the `*.agekey` entry bootstrap adds to `.gitignore`.
    func checkNotCommitted(in repository: GitRepository) throws(BootstrapError) {
        let url = URL(fileURLWithPath: path).standardizedFileURL.resolvingSymlinksInPath()
        let root = repository.workTree.resolvingSymlinksInPath()
        let prefix = root.path.hasSuffix("/") ? root.path : root.path + "/"
        guard url.path.hasPrefix(prefix) else { return }
        let relative = String(url.path.dropFirst(prefix.count))
        do {
            if try repository.isTracked(relative) { throw BootstrapError.keyWouldBeTracked(path: path) }
            if try repository.isIgnored(relative) || relative.hasSuffix(".agekey") { return }
        } catch let error as BootstrapError {
            throw error
        } catch {
            throw .git(reason: "\(error)")
        }
        throw .keyWouldBeTracked(path: path)
    }
}
