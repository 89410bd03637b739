/// Encrypts or decrypts every value of a tree and computes the MAC over the plaintext, as
/// sops.go Tree.Encrypt / Tree.Decrypt do.
struct SopsTreeCipher {
    var values: SopsValueCipher
    /// nil: every value is encrypted (binary files, files without a rule).
    var rule: SopsCryptRule?
    var macOnlyEncrypted: Bool
    /// The file name errors report.
    var file: String

    /// The encrypted tree and the MAC (upper-case hex SHA-512) of its plaintext.
    func encrypt(_ documents: SopsDocuments) throws(SopsError) -> (SopsDocuments, mac: String) {
        var mac = MACInput(macOnlyEncrypted: macOnlyEncrypted)
        var out = documents
        do {
            for index in out.branches.indices {
                out.branches[index] = try SopsTreeWalk.walk(out.branches[index]) { leaf, path, comments in
                    let isComment = if case .comment = leaf { true } else { false }
                    let encrypted = rule?.encrypts(path: path, comments: comments, leafIsComment: isComment) ?? true
                    if !isComment && (encrypted || !macOnlyEncrypted) { mac.add(leaf) }
                    guard encrypted else { return leaf }
                    guard let text = values.encrypt(leaf, aad: SopsTreeWalk.aad(path)) else {
                        throw SopsError.cannotEncryptValue(file: file, path: SopsPath.display(path), reason: "AES-GCM failed")
                    }
                    // A list comment becomes a string item: this is how sops writes it.
                    return .string(text)
                }
            }
        } catch let error as SopsError {
            throw error
        } catch {
            throw .cannotEncryptValue(file: file, path: "", reason: "\(error)")
        }
        return (out, mac.digest())
    }

    /// The decrypted tree, the MAC of its plaintext, and the IVs seen (for `edit`).
    func decrypt(_ documents: SopsDocuments) throws(SopsError) -> (SopsDocuments, mac: String, ivs: [SopsValueCipher.StashKey: [UInt8]]) {
        var mac = MACInput(macOnlyEncrypted: macOnlyEncrypted)
        var ivs: [SopsValueCipher.StashKey: [UInt8]] = [:]
        var out = documents
        do {
            for index in out.branches.indices {
                out.branches[index] = try SopsTreeWalk.walk(out.branches[index]) { leaf, path, comments in
                    let leafIsComment = if case .comment = leaf { true } else { false }
                    let encrypted = rule?.encrypts(path: path, comments: comments, leafIsComment: leafIsComment) ?? true
                    var plain = leaf
                    if encrypted {
                        plain = try decryptLeaf(leaf, path: path, ivs: &ivs)
                    }
                    // The decrypted type decides: list comments come back as strings that
                    // decrypt to comments, and comments never enter the MAC.
                    let plainIsComment = if case .comment = plain { true } else { false }
                    if !plainIsComment && (encrypted || !macOnlyEncrypted) { mac.add(plain) }
                    return plain
                }
            }
        } catch let error as SopsError {
            throw error
        } catch {
            throw .cannotDecryptValue(file: file, path: "")
        }
        return (out, mac.digest(), ivs)
    }

    private func decryptLeaf(_ leaf: SopsValue, path: [String], ivs: inout [SopsValueCipher.StashKey: [UInt8]]) throws(SopsError) -> SopsValue {
        let aad = SopsTreeWalk.aad(path)
        switch leaf {
        case let .comment(text):
            // A comment that does not decrypt was written in clear by an older sops: kept as is.
            guard let (value, iv) = try? values.decryptRecordingIV(text, aad: aad) else { return leaf }
            if let iv, let bytes = value.plaintextBytes { ivs[.init(aad: aad, plaintext: bytes)] = iv }
            if case let .string(s) = value { return .comment(s) }
            return value
        case let .string(text):
            do {
                let (value, iv) = try values.decryptRecordingIV(text, aad: aad)
                if let iv, let bytes = value.plaintextBytes { ivs[.init(aad: aad, plaintext: bytes)] = iv }
                return value
            } catch .malformed {
                throw .malformedEncryptedValue(file: file, location: SopsPath.display(path))
            } catch .badPlaintext {
                throw .malformedEncryptedValue(file: file, location: SopsPath.display(path))
            } catch {
                throw .cannotDecryptValue(file: file, path: SopsPath.display(path))
            }
        default:
            throw .malformedEncryptedValue(file: file, location: SopsPath.display(path))
        }
    }
}

/// The bytes the MAC covers, hashed at the end. Holds plaintext: zeroed after hashing.
struct MACInput {
    private var bytes: [UInt8] = []

    /// `SHA-256("sops")`: the seed sops puts first when only encrypted values are covered.
    static let macOnlyEncryptedSeed: [UInt8] = Sodium.sha256(Array("sops".utf8))

    init(macOnlyEncrypted: Bool) {
        bytes.reserveCapacity(4096)
        if macOnlyEncrypted { bytes += MACInput.macOnlyEncryptedSeed }
    }

    mutating func add(_ leaf: SopsValue) {
        if let b = leaf.plaintextBytes { bytes += b }
    }

    /// Upper-case hex of the SHA-512 digest, as sops stores it.
    mutating func digest() -> String {
        let hash = Sodium.sha512(bytes)
        Sodium.zero(&bytes)
        return Hex.upper(hash)
    }
}

enum Hex {
    static func upper(_ bytes: [UInt8]) -> String {
        let digits = Array("0123456789ABCDEF".utf8)
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count * 2)
        for b in bytes {
            out.append(digits[Int(b >> 4)])
            out.append(digits[Int(b & 0x0f)])
        }
        return String(decoding: out, as: UTF8.self)
    }
}

/// How errors show a tree path: `app.database.password`, `(top level)` for the root.
enum SopsPath {
    static func display(_ path: [String]) -> String {
        path.isEmpty ? "(top level)" : path.joined(separator: ".")
    }
}
