/// sops's binary store (stores/json/store.go BinaryStore): the whole file is one string under
/// `data`; the encrypted file is a JSON document `{"data": "ENC[…]", "sops": {…}}`.
struct SopsBinaryStore: SopsStore {
    var indent: Int?

    var emptyKeyList: SopsValue { .null }

    private var json: SopsJSONStore { SopsJSONStore(indent: indent) }

    /// An encrypted binary file is JSON with a `sops` key; anything else is plaintext bytes.
    func load(_ bytes: [UInt8], file: String) throws(SopsError) -> SopsLoaded {
        if bytes.first(where: { !($0 == 32 || $0 == 9 || $0 == 10 || $0 == 13) }) == UInt8(ascii: "{"),
           let loaded = try? json.load(bytes, file: file), loaded.metadata != nil {
            return loaded
        }
        let value: SopsValue = String(validating: bytes, as: UTF8.self).map(SopsValue.string) ?? .bytes(bytes)
        return SopsLoaded(documents: SopsDocuments(branches: [[SopsItem("data", value)]]), metadata: nil)
    }

    func emit(_ documents: SopsDocuments, metadata: SopsValue?) throws(SopsError) -> [UInt8] {
        if metadata != nil { return try json.emit(documents, metadata: metadata) }
        switch documents.branches.first?.first(where: { $0.key == .name("data") })?.value {
        case let .string(s): return Array(s.utf8)
        case let .bytes(b): return b
        default: throw .unsupportedDocument(file: "<binary>", reason: "no string under the key \"data\"")
        }
    }

    func emitValue(_ value: SopsValue) throws(SopsError) -> [UInt8] {
        throw .extractUnsupported(format: "binary")
    }
}
