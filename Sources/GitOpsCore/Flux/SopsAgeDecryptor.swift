import Foundation

/// Decrypts SOPS-encrypted Secrets of a build with age identities, the way kustomize-controller
/// does with `spec.decryption` (flux-behaviors.md §10). The source file is opened when it is
/// known, so the MAC is checked over the bytes as written rather than over a re-emitted build.
public struct SopsAgeDecryptor: SopsDecrypting {
    let identities: [AgeIdentity]

    public init(identities: [AgeIdentity]) { self.identities = identities }

    /// The identities sops would find (`SOPS_AGE_KEY`, `SOPS_AGE_KEY_FILE`, the default keys.txt,
    /// …); nil when there are none.
    public static func fromEnvironment(_ environment: [String: String] = ProcessInfo.processInfo.environment)
        throws -> SopsAgeDecryptor? {
        let identities = try SopsKeySources(environment: environment).identities()
        return identities.isEmpty ? nil : SopsAgeDecryptor(identities: identities)
    }

    /// `object` with its `data`/`stringData` decrypted and the `sops` block removed. `file` is the
    /// absolute path of the file the object came from, or empty when unknown.
    public func decrypt(_ object: YAMLNode, file: String) throws -> YAMLNode {
        var bytes: [UInt8]
        if !file.isEmpty, let data = FileManager.default.contents(atPath: file) {
            bytes = [UInt8](data)
        } else {
            bytes = Array(YAMLEmitter.manifest.emit(object).utf8)
        }
        let name = file.isEmpty ? "Secret/\(object["metadata"]?["name"]?.scalar ?? "")" : file
        var plaintext = try SopsFile.open(bytes, path: name, format: .yaml, identities: identities).plaintext()
        defer {
            for i in plaintext.indices { plaintext[i] = 0 }
            for i in bytes.indices { bytes[i] = 0 }
        }
        let documents = try YAMLParser().parse(plaintext, file: name).documents.compactMap(\.root)
        let objectName = object["metadata"]?["name"]?.scalar
        let source = documents.first { $0["kind"]?.scalar == object["kind"]?.scalar
            && $0["metadata"]?["name"]?.scalar == objectName } ?? documents.first
        guard let source else { return object }
        var result = object
        result.removeValue(forKey: "sops")
        for field in ["data", "stringData"] {
            result[field] = source[field]
        }
        return result
    }

    /// kustomize-controller leaves the MAC unchecked here (`checkSopsMac` is off by default in
    /// internal/decryptor), so a document whose MAC no longer matches still decrypts.
    public func decrypt(document bytes: [UInt8], format: SopsFormat, outputFormat: SopsFormat,
                        name: String) throws -> [UInt8] {
        try SopsFile.open(bytes, path: name, format: format, identities: identities, ignoreMAC: true)
            .plaintext(as: outputFormat)
    }
}
