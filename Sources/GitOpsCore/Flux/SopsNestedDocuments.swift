import Foundation

/// SOPS documents inside a build rather than around an object, decrypted as kustomize-controller
/// does (fluxcd/kustomize-controller internal/decryptor): a Secret `data` value that is itself
/// an encrypted file, and `secretGenerator`/patch source files encrypted on disk.
enum SopsNestedDocument {
    /// The controller's marker strings, in the order checked here. The controller walks a Go
    /// map, so its order is unspecified; no two markers overlap, so the order only matters for
    /// a document carrying several, which sops never writes. JSON stands for binary too: both
    /// stores read the same JSON envelope.
    static let markers: [(format: SopsFormat?, marker: String)] = [
        (.yaml, "mac: ENC["), (.json, "\"mac\": \"ENC["), (.dotenv, "sops_mac=ENC["), (nil, "[sops]"),
    ]

    /// Whether `bytes` look like a SOPS document, and in which store; `.some(nil)` for INI,
    /// which gitopsctl's SOPS engine does not read.
    static func detectedFormat(_ bytes: [UInt8]) -> SopsFormat?? {
        for (format, marker) in markers where contains(bytes, Array(marker.utf8)) { return .some(format) }
        return nil
    }

    /// The controller's `formatForPath`: sops's choice by extension, with `.dockerconfigjson`
    /// read as JSON; nil for `.ini`.
    static func format(forPath path: String) -> SopsFormat? {
        if path.hasSuffix(".dockerconfigjson") { return .json }
        if path.hasSuffix(".ini") { return nil }
        return SopsFormat(path: path)
    }

    static func marker(of format: SopsFormat) -> [UInt8] {
        switch format {
        case .yaml: Array("mac: ENC[".utf8)
        case .dotenv: Array("sops_mac=ENC[".utf8)
        case .json, .binary: Array("\"mac\": \"ENC[".utf8)
        }
    }

    static func contains(_ bytes: [UInt8], _ needle: [UInt8]) -> Bool {
        guard let first = needle.first, bytes.count >= needle.count else { return false }
        var i = 0
        let last = bytes.count - needle.count
        while i <= last {
            if bytes[i] == first, bytes[i ..< i + needle.count].elementsEqual(needle) { return true }
            i += 1
        }
        return false
    }

    /// The `data` values of a Secret that are SOPS documents: key, decoded bytes and the store
    /// its marker names (nil for INI).
    static func documents(inDataOf secret: YAMLNode) -> [(key: String, bytes: [UInt8], format: SopsFormat?)] {
        guard let data = secret["data"], data.isMapping else { return [] }
        return data.entries.compactMap { entry in
            guard let key = entry.key.scalar, let text = entry.value.scalar,
                  // Go's base64 decoder skips line breaks, which kustomize writes into
                  // generated values every 70 characters.
                  let decoded = Data(base64Encoded: text.filter { $0 != "\n" && $0 != "\r" }),
                  case let .some(detected) = detectedFormat([UInt8](decoded)) else { return nil }
            return (key, [UInt8](decoded), detected)
        }
    }

    /// A Secret whose `data` values are SOPS documents, each decrypted into the format its key's
    /// extension names and base64-encoded again. Values that do not decode or carry no marker
    /// are left as they are, as the controller leaves them for the apply to judge.
    static func decryptingData(of secret: YAMLNode, with decryptor: any SopsDecrypting) throws(FluxError) -> YAMLNode {
        let documents = documents(inDataOf: secret)
        guard !documents.isEmpty, let data = secret["data"] else { return secret }
        let object = "Secret/\(secret["metadata"]?["namespace"]?.scalar ?? "")/\(secret["metadata"]?["name"]?.scalar ?? "")"
        var result = data
        var changed = false
        for (key, decoded, detected) in documents {
            guard let input = detected, let output = format(forPath: key) else {
                throw .decryptionUnavailable(object: object, reason: "data key \(key): INI documents are not supported")
            }
            var plaintext: [UInt8]
            do {
                plaintext = try decryptor.decrypt(document: decoded, format: input, outputFormat: output,
                                                  name: "\(object) data key \(key)")
            } catch {
                throw .decryptionUnavailable(object: object, reason: "data key \(key): \(error)")
            }
            result.set(key, YAMLNode(string: Data(plaintext).base64EncodedString()))
            for i in plaintext.indices { plaintext[i] = 0 }
            changed = true
        }
        guard changed else { return secret }
        var out = secret
        out.set("data", result)
        return out
    }
}

/// The generator and patch sources of one Flux Kustomization's build, decrypted before
/// kustomize reads them when they are SOPS-encrypted (the controller's `DecryptSources`):
/// `secretGenerator` `files` in the format of their key, `envs` as their extension says with
/// dotenv for anything else, `patches[].path` files as their extension says. A file without
/// the marker of that format is used as it is.
struct SopsGeneratorSources: KustomizeSourceFilter {
    /// nil when no age identity was found: an encrypted source then fails the build, as the
    /// controller's does when it cannot get the data key.
    let decryptor: (any SopsDecrypting)?
    /// The repository root, to name files relative to it in errors.
    let root: String

    func contents(of path: String, bytes: [UInt8], use: KustomizeSourceUse) throws -> [UInt8] {
        let format: SopsFormat?
        switch use {
        case .configMapSource:
            return bytes
        case let .secretFile(key):
            format = SopsNestedDocument.format(forPath: key)
        case .secretEnv:
            let byPath = SopsNestedDocument.format(forPath: path)
            format = byPath == .binary ? .dotenv : byPath
        case .patch:
            format = SopsNestedDocument.format(forPath: path)
        }
        guard let format, SopsNestedDocument.contains(bytes, SopsNestedDocument.marker(of: format)) else { return bytes }
        let name = path.hasPrefix(root + "/") ? String(path.dropFirst(root.count + 1)) : path
        guard let decryptor else {
            throw FluxError.decryptionUnavailable(object: name, reason: "it is SOPS-encrypted and no age identity was found")
        }
        return try decryptor.decrypt(document: bytes, format: format, outputFormat: format, name: name)
    }
}
