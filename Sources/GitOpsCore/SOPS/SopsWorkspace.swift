import Foundation

/// The secrets workflows as the commands run them: files found and formats chosen the way
/// sops chooses them, `.sops.yaml` looked up from the working directory, identities and
/// recipients from the environment, atomic writes. One value per invocation.
public struct SopsWorkspace: Sendable {
    public var keySources: SopsKeySources
    public var workingDirectory: String
    /// `--config`: overrides the `.sops.yaml` search.
    public var configPath: String?

    public init(keySources: SopsKeySources = SopsKeySources(),
                workingDirectory: String = FileManager.default.currentDirectoryPath, configPath: String? = nil) {
        self.keySources = keySources
        self.workingDirectory = workingDirectory
        self.configPath = configPath
    }

    /// The `.sops.yaml` that applies, if any.
    public func config() throws(SopsError) -> SopsConfig? {
        if let configPath { return try SopsConfig(contentsOf: absolute(configPath)) }
        return try SopsConfig.find(from: workingDirectory).map { path throws(SopsError) in try SopsConfig(contentsOf: path) }
    }

    /// What the user asked for besides the file.
    public struct EncryptOptions: Sendable {
        public var recipients: [String] = []
        public var cryptRules: [String: String] = [:]
        public var macOnlyEncrypted = false
        public var inputFormat: SopsFormat?
        public var outputFormat: SopsFormat?

        public init() {}
    }

    /// Encrypts `file`. Recipients come from `--age`, else `SOPS_AGE_RECIPIENTS`, else the
    /// first matching creation rule; crypt-rule options override the rule's.
    public func encrypt(_ file: String, options: EncryptOptions) throws(SopsError) -> [UInt8] {
        let format = options.inputFormat ?? SopsFormat(path: file)
        let config = try config()
        let settings = try encryptionSettings(for: file, options: options, config: config)
        return try SopsFile.encrypt(try read(file), path: file, format: format, outputFormat: options.outputFormat,
                                    settings: settings, storeSettings: config?.stores ?? SopsStoreSettings())
    }

    func encryptionSettings(for file: String, options: EncryptOptions, config: SopsConfig?) throws(SopsError) -> SopsEncryptionSettings {
        let flagRecipients = options.recipients.isEmpty ? keySources.environmentRecipients : options.recipients
        var rule: SopsCreationRule?
        if let config {
            do {
                rule = try config.rule(for: file, workingDirectory: workingDirectory)
            } catch {
                if flagRecipients.isEmpty { throw error }
            }
        }
        if flagRecipients.isEmpty && rule == nil { throw .configNotFound }
        let cryptRules = options.cryptRules.isEmpty ? (rule?.cryptRules ?? [:]) : options.cryptRules
        let macOnly = options.macOnlyEncrypted || (rule?.macOnlyEncrypted ?? false)
        if !flagRecipients.isEmpty {
            return try SopsEncryptionSettings(keyGroups: [flagRecipients], shamirThreshold: nil, cryptRules: cryptRules,
                                              macOnlyEncrypted: macOnly)
        }
        guard let rule, rule.keyGroups.contains(where: { !$0.isEmpty }) else { throw .noRecipients(file: file) }
        return try SopsEncryptionSettings(keyGroups: rule.keyGroups, shamirThreshold: rule.shamirThreshold,
                                          cryptRules: cryptRules, macOnlyEncrypted: macOnly)
    }

    /// Opens (decrypts) `file` with the identities sops would use.
    public func open(_ file: String, format: SopsFormat? = nil, ignoreMAC: Bool = false) throws(SopsError) -> SopsFile {
        return try open(file, bytes: try read(file), format: format, ignoreMAC: ignoreMAC, identities: try keySources.identities())
    }

    func open(_ file: String, bytes: [UInt8], format: SopsFormat?, ignoreMAC: Bool, identities: [AgeIdentity]) throws(SopsError) -> SopsFile {
        let settings = (try? config())??.stores ?? SopsStoreSettings()
        return try SopsFile.open(bytes, path: file, format: format ?? SopsFormat(path: file), identities: identities,
                                 ignoreMAC: ignoreMAC, storeSettings: settings)
    }

    /// What happened to one file of a bulk operation.
    public enum BulkResult: Sendable {
        case done
        /// Not encrypted (found with `-r`, so not an error).
        case skipped
        case failed(SopsError)
    }

    /// Decrypts several files with one identity lookup, writing each result into `outputDirectory`
    /// at the same relative path (or in place when nil). Failures are collected, not thrown;
    /// with `skipPlaintext`, files without sops metadata are skipped.
    public func decryptAll(_ files: [String], into outputDirectory: String?, format: SopsFormat?, ignoreMAC: Bool,
                           skipPlaintext: Bool) throws(SopsError) -> [(file: String, result: BulkResult)] {
        let identities = try keySources.identities()
        let settings = (try? config())??.stores ?? SopsStoreSettings()
        var results: [(String, BulkResult)] = []
        for file in files {
            do throws(SopsError) {
                let opened = try SopsFile.open(try read(file), path: file, format: format ?? SopsFormat(path: file),
                                               identities: identities, ignoreMAC: ignoreMAC, storeSettings: settings)
                if let outputDirectory {
                    try writeScratchCopy(try opened.plaintext(), to: outputDirectory + "/" + relative(file))
                } else {
                    try write(try opened.plaintext(), to: file)
                }
                results.append((file, .done))
            } catch {
                if skipPlaintext, case .notEncrypted = error {
                    results.append((file, .skipped))
                } else {
                    results.append((file, .failed(error)))
                }
            }
        }
        return results
    }

    /// The creation rule for `file` with why it applies, for `encrypt --show-rule`.
    public func showRule(for file: String) throws(SopsError) -> String {
        guard let config = try config() else { throw .configNotFound }
        let rule = try config.rule(for: file, workingDirectory: workingDirectory)
        let subject = config.relativePath(of: file, workingDirectory: workingDirectory)
        let why = rule.pathRegex.map { "path_regex \($0) matches \(subject)" } ?? "the rule has no path_regex, so it matches every file"
        let skipped = rule.index > 0 ? " (rules 1–\(rule.index) did not match)" : ""
        return "\(config.path): \(rule.summary)\n  why: \(why)\(skipped)\n"
    }

    /// How a file's recipients compare with its creation rule.
    public struct KeyUpdate: Sendable {
        public var file: String
        public var added: [String]
        public var removed: [String]
        public var isCurrent: Bool { added.isEmpty && removed.isEmpty && !groupsChanged }
        var groupsChanged: Bool
        var wanted: [[String]]
        var threshold: Int?
    }

    /// The change `updatekeys` would make to `file`.
    public func keyUpdate(for file: String) throws(SopsError) -> KeyUpdate {
        guard let config = try config() else { throw .configNotFound }
        let rule = try config.rule(for: file, workingDirectory: workingDirectory)
        let current = try SopsFile.recipients(of: try read(file), path: file, format: SopsFormat(path: file))
        let wanted = rule.keyGroups.filter { !$0.isEmpty }
        let have = Set(current.joined()), want = Set(wanted.joined())
        return KeyUpdate(file: file, added: wanted.joined().filter { !have.contains($0) },
                         removed: current.joined().filter { !want.contains($0) },
                         groupsChanged: current.map { Set($0) } != wanted.map { Set($0) },
                         wanted: wanted, threshold: rule.shamirThreshold)
    }

    /// Applies a key update in place.
    public func applyKeyUpdate(_ update: KeyUpdate) throws(SopsError) {
        let bytes = try SopsFile.updateKeys(try read(update.file), path: update.file, format: SopsFormat(path: update.file),
                                            keyGroups: update.wanted, shamirThreshold: update.threshold,
                                            identities: try keySources.identities())
        try write(bytes, to: update.file)
    }

    /// A new data key for `file`, every value re-encrypted, written in place.
    public func rotate(_ file: String) throws(SopsError) {
        var opened = try open(file)
        try opened.rotateDataKey()
        try write(try opened.encrypted(), to: file)
    }

    /// Regular files below `directory` (hidden directories skipped) that a creation rule covers;
    /// every file when there is no `.sops.yaml`.
    public func files(under directory: String) throws(SopsError) -> [String] {
        let root = absolute(directory)
        guard let enumerator = FileManager.default.enumerator(at: URL(fileURLWithPath: root),
                                                              includingPropertiesForKeys: [.isRegularFileKey],
                                                              options: [.skipsHiddenFiles]) else {
            throw .cannotReadFile(path: directory, reason: "not a directory")
        }
        let config = try config()
        var files: [String] = []
        for case let url as URL in enumerator {
            guard (try? url.resourceValues(forKeys: [.isRegularFileKey]))?.isRegularFile == true else { continue }
            let path = directory.hasSuffix("/") ? directory + url.path.dropFirst(root.count + 1)
                : directory + "/" + url.path.dropFirst(root.count + 1)
            if let config, !config.covers(path, workingDirectory: workingDirectory) { continue }
            files.append(path)
        }
        return files.sorted()
    }

    /// Whether `file` already carries sops metadata.
    public func isEncrypted(_ file: String) -> Bool {
        guard let bytes = try? read(file) else { return false }
        return SopsFile.isEncrypted(bytes, format: SopsFormat(path: file))
    }

    public func read(_ file: String) throws(SopsError) -> [UInt8] {
        do { return try FileBytes.read(atPath: absolute(file)) } catch { throw .cannotReadFile(path: file, reason: error.reason) }
    }

    /// Atomic write (temp file in the same directory, fsync, rename; mode and owner kept).
    public func write(_ bytes: [UInt8], to file: String, mode: mode_t = 0o644) throws(SopsError) {
        let path = absolute(file)
        do {
            try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent,
                                                    withIntermediateDirectories: true)
            try AtomicFileWriter.write(bytes, to: path, mode: mode)
        } catch {
            throw .cannotWriteFile(path: file, reason: "\(error)")
        }
    }

    /// A plaintext copy in an output tree: created 0600 under a temporary name and renamed,
    /// so no reader sees it half-written or with wider permissions, but not fsynced: an output
    /// tree is scratch, and a thousand fsyncs would cost seconds.
    func writeScratchCopy(_ bytes: [UInt8], to file: String) throws(SopsError) {
        let path = absolute(file)
        let directory = (path as NSString).deletingLastPathComponent
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        } catch {
            throw .cannotWriteFile(path: file, reason: "cannot create \(directory)")
        }
        var template = Array((path + ".tmp-XXXXXX").utf8CString)
        let fd = template.withUnsafeMutableBufferPointer { buffer in buffer.baseAddress.map { mkstemp($0) } ?? -1 }
        guard fd >= 0 else { throw .cannotWriteFile(path: file, reason: String(cString: strerror(errno))) }
        let temporary = template.withUnsafeBufferPointer { buffer in buffer.baseAddress.map { String(cString: $0) } ?? path }
        let written = bytes.withUnsafeBytes { Foundation.write(fd, $0.baseAddress, $0.count) }
        close(fd)
        guard written == bytes.count, rename(temporary, path) == 0 else {
            unlink(temporary)
            throw .cannotWriteFile(path: file, reason: "short write or rename failed")
        }
    }

    func absolute(_ file: String) -> String {
        file.hasPrefix("/") ? file : workingDirectory + "/" + file
    }

    /// `file` relative to the working directory, for output trees.
    func relative(_ file: String) -> String {
        let standardized = URL(fileURLWithPath: absolute(file)).standardizedFileURL.path
        let base = URL(fileURLWithPath: workingDirectory).standardizedFileURL.path + "/"
        return standardized.hasPrefix(base) ? String(standardized.dropFirst(base.count))
            : String(standardized.drop { $0 == "/" })
    }
}
