/// A SOPS-encrypted file opened with its data key: the plaintext tree, the metadata, and
/// what re-encryption needs (the key and the IVs of unchanged values). The entry point for
/// `decrypt`, `edit`, `rotate` and `updatekeys`; `SopsFile.encrypt` makes new files.
public struct SopsFile: Sendable {
    /// The name errors and reports use.
    public let path: String
    public let format: SopsFormat
    var documents: SopsDocuments
    var metadata: SopsMetadata
    var dataKey: SecretBytes
    var ivStash: [SopsValueCipher.StashKey: [UInt8]]
    let storeSettings: SopsStoreSettings

    /// The age recipients the file is encrypted for, group by group.
    public var recipients: [[String]] { metadata.keyGroups.map { $0.age.map(\.recipient) } }

    /// Decrypts every value and verifies the MAC (unless `ignoreMAC`).
    public static func open(_ bytes: [UInt8], path: String, format: SopsFormat, identities: [AgeIdentity],
                            ignoreMAC: Bool = false, storeSettings: SopsStoreSettings = SopsStoreSettings()) throws(SopsError) -> SopsFile {
        let store = format.store(settings: storeSettings)
        let (encrypted, rawMetadata) = try store.loadEncrypted(bytes, file: path)
        let metadata = try SopsMetadata(rawMetadata, file: path)
        let dataKey = try SopsDataKey.unwrap(metadata, identities: identities, file: path)
        let values = try SopsValueCipher(dataKey: dataKey)
        let cipher = SopsTreeCipher(values: values, rule: metadata.cryptRule, macOnlyEncrypted: metadata.macOnlyEncrypted, file: path)
        let (documents, computed, ivs): (SopsDocuments, String, [SopsValueCipher.StashKey: [UInt8]])
        do {
            (documents, computed, ivs) = try cipher.decrypt(encrypted)
        } catch .malformedEncryptedValue(let file, let location) {
            guard let mark = SopsSourceLocator.firstMalformedValue(in: bytes, format: format) else { throw .malformedEncryptedValue(file: file, location: location) }
            throw .malformedEncryptedValue(file: file, location: "\(mark.line):\(mark.column) (\(location))")
        }
        if !ignoreMAC {
            let stored: SopsValue
            do {
                stored = try values.decrypt(metadata.mac, aad: metadata.macAAD)
            } catch {
                throw .cannotDecryptMAC(file: path)
            }
            guard case let .string(storedMAC) = stored, storedMAC == computed else {
                let shown = if case let .string(s) = stored { s } else { "" }
                throw .macMismatch(file: path, stored: shown, computed: computed)
            }
        }
        return SopsFile(path: path, format: format, documents: documents, metadata: metadata, dataKey: dataKey,
                        ivStash: ivs, storeSettings: storeSettings)
    }

    /// The decrypted file in `format` (default: its own), or one value with `extract`
    /// (`["stringData"]["password"]`): strings raw, maps as documents, others as the store writes them.
    public func plaintext(as outputFormat: SopsFormat? = nil, extract: String? = nil) throws(SopsError) -> [UInt8] {
        let store = (outputFormat ?? format).store(settings: storeSettings)
        guard let extract else { return try store.emit(documents, metadata: nil) }
        let value = try SopsTreePath(parsing: extract).value(in: documents.branches.first ?? [])
        switch value {
        case let .map(items): return try store.emit(SopsDocuments(branches: [items]), metadata: nil)
        case let .string(s): return Array(s.utf8)
        case let .bytes(b): return b
        default: return try store.emitValue(value)
        }
    }

    /// The file encrypted again with the same data key (unchanged values keep their IVs),
    /// a new `lastmodified` and MAC.
    public func encrypted(as outputFormat: SopsFormat? = nil) throws(SopsError) -> [UInt8] {
        var values = try SopsValueCipher(dataKey: dataKey)
        values.ivStash = ivStash
        return try Self.seal(documents, metadata: metadata, values: values, path: path,
                             store: (outputFormat ?? format).store(settings: storeSettings))
    }

    /// Replaces the plaintext with an edited version of the file (in `format`).
    public mutating func replacePlaintext(_ bytes: [UInt8]) throws(SopsError) {
        let loaded = try format.store(settings: storeSettings).load(bytes, file: path)
        if loaded.metadata != nil { throw .alreadyEncrypted(file: path) }
        documents = loaded.documents
    }

    /// Whether `bytes` hold the same plaintext as the file (an editor session changed nothing).
    public func hasSamePlaintext(as bytes: [UInt8]) -> Bool {
        (try? plaintext()) == bytes
    }

    /// A new data key, wrapped for the same recipients; every value gets encrypted anew.
    public mutating func rotateDataKey() throws(SopsError) {
        let key = SopsDataKey.generate()
        let (groups, threshold) = try SopsDataKey.wrap(key, for: recipients, threshold: metadata.shamirThreshold)
        metadata.keyGroups = groups
        metadata.shamirThreshold = threshold
        dataKey = key
        ivStash = [:]
    }

    static func seal(_ documents: SopsDocuments, metadata: SopsMetadata, values: SopsValueCipher, path: String,
                     store: SopsStore) throws(SopsError) -> [UInt8] {
        var metadata = metadata
        let cipher = SopsTreeCipher(values: values, rule: metadata.cryptRule, macOnlyEncrypted: metadata.macOnlyEncrypted, file: path)
        let (encrypted, mac) = try cipher.encrypt(documents)
        metadata.lastModified = SopsTime.now()
        metadata.version = SopsMetadata.writtenVersion
        guard let macText = values.encrypt(.string(mac), aad: metadata.macAAD) else {
            throw .cannotEncryptValue(file: path, path: "sops.mac", reason: "AES-GCM failed")
        }
        metadata.mac = macText
        return try store.emit(encrypted, metadata: metadata.value(emptyKeyList: store.emptyKeyList))
    }
}

/// What a new encryption uses: recipients per key group, the crypt rule and MAC mode.
public struct SopsEncryptionSettings: Sendable {
    /// age recipients per key group; one group is the usual case.
    public var keyGroups: [[String]]
    public var shamirThreshold: Int?
    var cryptRule: SopsCryptRule?
    public var macOnlyEncrypted: Bool

    /// `cryptRules` maps sops option names (`encrypted_regex`, …) to patterns; at most one.
    public init(recipients: [String], cryptRules: [String: String] = [:], macOnlyEncrypted: Bool = false) throws(SopsError) {
        try self.init(keyGroups: [recipients], shamirThreshold: nil, cryptRules: cryptRules, macOnlyEncrypted: macOnlyEncrypted)
    }

    public init(keyGroups: [[String]], shamirThreshold: Int?, cryptRules: [String: String], macOnlyEncrypted: Bool) throws(SopsError) {
        self.keyGroups = keyGroups
        self.shamirThreshold = shamirThreshold
        var options: [SopsCryptRule.Kind: String] = [:]
        for (name, pattern) in cryptRules {
            guard let kind = SopsCryptRule.Kind(rawValue: name) else { throw .invalidConfig(file: "", reason: "unknown option \(name)") }
            options[kind] = pattern
        }
        cryptRule = try SopsCryptRule.choose(options)
        self.macOnlyEncrypted = macOnlyEncrypted
    }

    /// A description of the crypt rule for `--show-rule`.
    public var cryptRuleDescription: String {
        cryptRule.map { "\($0.kind.rawValue): \($0.pattern)" } ?? "unencrypted_suffix: _unencrypted (default)"
    }
}

extension SopsFile {
    /// Encrypts a plaintext file. Refuses a file that already has sops metadata (exit 203).
    public static func encrypt(_ bytes: [UInt8], path: String, format: SopsFormat, outputFormat: SopsFormat? = nil,
                               settings: SopsEncryptionSettings,
                               storeSettings: SopsStoreSettings = SopsStoreSettings()) throws(SopsError) -> [UInt8] {
        let loaded = try format.store(settings: storeSettings).load(bytes, file: path)
        if loaded.metadata != nil { throw .alreadyEncrypted(file: path) }
        let dataKey = SopsDataKey.generate()
        let (groups, threshold) = try SopsDataKey.wrap(dataKey, for: settings.keyGroups, threshold: settings.shamirThreshold)
        // The binary store's one value is always encrypted: sops ignores crypt rules for it
        // and writes none (3.11+).
        let rule = format == .binary ? nil : (settings.cryptRule ?? .default)
        let metadata = SopsMetadata(keyGroups: groups, shamirThreshold: threshold, lastModified: "", mac: "",
                                    cryptRule: rule, macOnlyEncrypted: settings.macOnlyEncrypted,
                                    version: SopsMetadata.writtenVersion)
        return try seal(loaded.documents, metadata: metadata, values: try SopsValueCipher(dataKey: dataKey), path: path,
                        store: (outputFormat ?? format).store(settings: storeSettings))
    }

    /// Re-wraps the data key of an encrypted file for new recipients without touching its
    /// values, MAC or `lastmodified` (sops updatekeys). Returns the new bytes.
    public static func updateKeys(_ bytes: [UInt8], path: String, format: SopsFormat, keyGroups: [[String]],
                                  shamirThreshold: Int?, identities: [AgeIdentity],
                                  storeSettings: SopsStoreSettings = SopsStoreSettings()) throws(SopsError) -> [UInt8] {
        let store = format.store(settings: storeSettings)
        let (encrypted, rawMetadata) = try store.loadEncrypted(bytes, file: path)
        var metadata = try SopsMetadata(rawMetadata, file: path)
        let dataKey = try SopsDataKey.unwrap(metadata, identities: identities, file: path)
        let (groups, threshold) = try SopsDataKey.wrap(dataKey, for: keyGroups, threshold: shamirThreshold)
        metadata.keyGroups = groups
        metadata.shamirThreshold = threshold
        return try store.emit(encrypted, metadata: metadata.value(emptyKeyList: store.emptyKeyList))
    }

    /// The recipients an encrypted file is wrapped for, without decrypting anything.
    public static func recipients(of bytes: [UInt8], path: String, format: SopsFormat) throws(SopsError) -> [[String]] {
        let (_, rawMetadata) = try format.store().loadEncrypted(bytes, file: path)
        return try SopsMetadata(rawMetadata, file: path).keyGroups.map { $0.age.map(\.recipient) }
    }

    /// Whether `bytes` carry sops metadata in `format`.
    public static func isEncrypted(_ bytes: [UInt8], format: SopsFormat) -> Bool {
        (try? format.store().load(bytes, file: ""))?.metadata != nil
    }
}
