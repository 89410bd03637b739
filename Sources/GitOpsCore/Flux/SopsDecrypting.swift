/// Decrypts a SOPS-encrypted Kubernetes object (one with a top-level `sops` mapping). The SOPS
/// engine implements it with the age identities it finds; the Flux model only needs this.
public protocol SopsDecrypting: Sendable {
    func decrypt(_ object: YAMLNode, file: String) throws -> YAMLNode
    /// A whole SOPS document (a Secret data value, a generator source file) read as `format`
    /// and written back as `outputFormat`. `name` is what errors call it.
    func decrypt(document bytes: [UInt8], format: SopsFormat, outputFormat: SopsFormat, name: String) throws -> [UInt8]
}

enum SopsObject {
    /// Whether `object` is a whole-object SOPS document (`sops.mac` present).
    static func isEncrypted(_ object: YAMLNode) -> Bool {
        object["sops"]?["mac"] != nil
    }
}
