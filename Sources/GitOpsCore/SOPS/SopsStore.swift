/// A file read by a store: its documents and, for an encrypted file, the raw `sops` block.
struct SopsLoaded: Sendable {
    var documents: SopsDocuments
    var metadata: SopsValue?
}

/// One file format sops can encrypt (getsops/sops stores/*). A store turns bytes into the
/// common tree and back; everything else is format-independent.
protocol SopsStore: Sendable {
    /// Reads a file; `metadata` is set when the file carries a `sops` block.
    func load(_ bytes: [UInt8], file: String) throws(SopsError) -> SopsLoaded
    /// Writes the documents, with the `sops` block when given.
    func emit(_ documents: SopsDocuments, metadata: SopsValue?) throws(SopsError) -> [UInt8]
    /// Writes one value for `--extract` (maps as whole documents).
    func emitValue(_ value: SopsValue) throws(SopsError) -> [UInt8]
    /// How empty key lists inside key groups are written (go-yaml `[]`, encoding/json `null`).
    var emptyKeyList: SopsValue { get }
}

extension SopsStore {
    var emptyKeyList: SopsValue { .list([]) }

    /// Runs a YAML-layer parse, turning its errors (which name `file:line:col`) into ours.
    func parsing<T>(_ file: String, _ parse: () throws -> T) throws(SopsError) -> T {
        do {
            return try parse()
        } catch let error as YAMLError {
            throw .unsupportedDocument(file: file, reason: error.description)
        } catch {
            throw .unsupportedDocument(file: file, reason: "\(error)")
        }
    }

    /// Reads a file that must be encrypted.
    func loadEncrypted(_ bytes: [UInt8], file: String) throws(SopsError) -> (SopsDocuments, SopsValue) {
        let loaded = try load(bytes, file: file)
        guard let metadata = loaded.metadata else { throw .notEncrypted(file: file) }
        return (loaded.documents, metadata)
    }
}

/// The formats sops knows, chosen from the file extension as sops does
/// (`.yaml`/`.yml`, `.json`, `.env`, anything else is binary) or given explicitly.
public enum SopsFormat: String, Sendable, CaseIterable {
    case yaml, json, dotenv, binary

    /// sops's choice by extension.
    public init(path: String) {
        let name = path.split(separator: "/").last.map(String.init) ?? path
        let ext = name.split(separator: ".", omittingEmptySubsequences: false).last.map { $0.lowercased() } ?? ""
        guard name.contains(".") else { self = .binary; return }
        switch ext {
        case "yaml", "yml": self = .yaml
        case "json": self = .json
        case "env": self = .dotenv
        default: self = .binary
        }
    }

    /// A format named on the command line (`--input-type`).
    public init(name: String) throws(SopsError) {
        guard let format = SopsFormat(rawValue: name) else { throw .unsupportedFormat(name) }
        self = format
    }

    func store(settings: SopsStoreSettings = SopsStoreSettings()) -> SopsStore {
        switch self {
        case .yaml: SopsYAMLStore(indent: settings.yamlIndent ?? 4)
        case .json: SopsJSONStore(indent: settings.jsonIndent)
        case .dotenv: SopsDotenvStore()
        case .binary: SopsBinaryStore(indent: settings.jsonBinaryIndent)
        }
    }
}

/// `.sops.yaml` `stores:` output settings (indentation per format).
public struct SopsStoreSettings: Sendable, Equatable {
    public var yamlIndent: Int?
    public var jsonIndent: Int?
    public var jsonBinaryIndent: Int?

    public init(yamlIndent: Int? = nil, jsonIndent: Int? = nil, jsonBinaryIndent: Int? = nil) {
        self.yamlIndent = yamlIndent
        self.jsonIndent = jsonIndent
        self.jsonBinaryIndent = jsonBinaryIndent
    }
}
