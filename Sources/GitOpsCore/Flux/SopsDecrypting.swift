/// Decrypts a SOPS-encrypted Kubernetes object (one with a top-level `sops` mapping). The SOPS
/// engine implements it with the age identities it finds; the Flux model only needs this.
public protocol SopsDecrypting: Sendable {
    func decrypt(_ object: YAMLNode, file: String) throws -> YAMLNode
}

enum SopsObject {
    /// Whether `object` is a whole-object SOPS document (`sops.mac` present).
    static func isEncrypted(_ object: YAMLNode) -> Bool {
        object["sops"]?["mac"] != nil
    }
}
