import Foundation

/// Encrypts and decrypts single values in sops's `ENC[AES256_GCM,data:…,iv:…,tag:…,type:…]`
/// form (getsops/sops aes/cipher.go), with the value's tree path as additional data.
struct SopsValueCipher: Sendable {
    let dataKey: SecretBytes
    private let aes: AESGCM
    /// IVs of values decrypted earlier, keyed by AAD and plaintext: sops re-uses them when an
    /// unchanged value is encrypted again under the same data key (`edit`), so unchanged
    /// lines stay byte-identical.
    var ivStash: [StashKey: [UInt8]] = [:]

    struct StashKey: Hashable, Sendable {
        var aad: String
        var plaintext: [UInt8]
    }

    init(dataKey: SecretBytes) throws(SopsError) {
        self.dataKey = dataKey
        aes = try AESGCM()
    }

    /// Why a value could not be decrypted.
    enum Failure: Error {
        case malformed
        case authentication
        case badPlaintext(type: String)
    }

    /// The encrypted form of a leaf. Empty strings and comments stay empty, as sops does.
    func encrypt(_ value: SopsValue, aad: String) -> String? {
        guard let plaintext = value.plaintextBytes, let type = value.typeTag else { return nil }
        if plaintext.isEmpty, type == "str" || type == "comment" { return "" }
        let iv = ivStash[StashKey(aad: aad, plaintext: plaintext)] ?? Sodium.randomBytes(32)
        guard let (ciphertext, tag) = aes.seal(plaintext, key: dataKey, iv: iv, aad: Array(aad.utf8)) else {
            return nil
        }
        return "ENC[AES256_GCM,data:\(Base64.encodeString(ciphertext, padded: true)),iv:\(Base64.encodeString(iv, padded: true)),tag:\(Base64.encodeString(tag, padded: true)),type:\(type)]"
    }

    /// The typed plaintext of an `ENC[…]` string; `""` decrypts to `""`.
    func decrypt(_ text: String, aad: String) throws(Failure) -> SopsValue {
        try decryptRecordingIV(text, aad: aad).value
    }

    /// Decrypts and returns the IV too, for the stash `edit` keeps.
    func decryptRecordingIV(_ text: String, aad: String) throws(Failure) -> (value: SopsValue, iv: [UInt8]?) {
        if text.isEmpty { return (.string(""), nil) }
        guard let parts = EncryptedValue(parsing: text) else { throw .malformed }
        guard let plaintext = aes.open(parts.data, tag: parts.tag, key: dataKey, iv: parts.iv, aad: Array(aad.utf8)) else {
            throw .authentication
        }
        guard let value = SopsValue(plaintext: plaintext, type: parts.type) else { throw .badPlaintext(type: parts.type) }
        return (value, parts.iv)
    }

    /// Whether `text` has the shape of an encrypted value (used to refuse re-encryption and to
    /// tell encrypted comments from clear ones).
    static func looksEncrypted(_ text: String) -> Bool { text.hasPrefix("ENC[AES256_GCM,") }
}

/// The four fields of an `ENC[…]` string, decoded. Mirrors the Go regex
/// `^ENC\[AES256_GCM,data:(.+),iv:(.+),tag:(.+),type:(.+)\]` (greedy, unanchored at the end).
struct EncryptedValue {
    var data: [UInt8]
    var iv: [UInt8]
    var tag: [UInt8]
    var type: String

    init?(parsing text: String) {
        let prefix = "ENC[AES256_GCM,data:"
        guard text.hasPrefix(prefix), let close = text.lastIndex(of: "]") else { return nil }
        let body = text[text.index(text.startIndex, offsetBy: prefix.count)..<close]
        guard let typeMark = body.range(of: ",type:", options: .backwards),
              let tagMark = body[..<typeMark.lowerBound].range(of: ",tag:", options: .backwards),
              let ivMark = body[..<tagMark.lowerBound].range(of: ",iv:", options: .backwards) else { return nil }
        let dataText = body[..<ivMark.lowerBound]
        let ivText = body[ivMark.upperBound..<tagMark.lowerBound]
        let tagText = body[tagMark.upperBound..<typeMark.lowerBound]
        let typeText = body[typeMark.upperBound...]
        guard !dataText.isEmpty, !ivText.isEmpty, !tagText.isEmpty, !typeText.isEmpty,
              let data = Base64.decode(String(dataText), padded: true),
              let iv = Base64.decode(String(ivText), padded: true), !iv.isEmpty,
              let tag = Base64.decode(String(tagText), padded: true) else { return nil }
        self.data = data
        self.iv = iv
        self.tag = tag
        self.type = String(typeText)
    }
}

extension SopsValue {
    /// sops's `type:` tag for a leaf.
    var typeTag: String? {
        switch self {
        case .string: "str"
        // Go strings hold any bytes: sops writes binary file contents as `str` (and its
        // decryptor cannot read `type:bytes` back), so non-UTF-8 text is `str` too.
        case .bytes: "str"
        case .int: "int"
        case .float: "float"
        case .bool: "bool"
        case .time: "time"
        case .comment: "comment"
        case .map, .list, .null: nil
        }
    }

    /// The bytes sops encrypts and feeds to the MAC for a leaf (sops.go ToBytes):
    /// `True`/`False`, floats positional without exponent, times as RFC 3339.
    var plaintextBytes: [UInt8]? {
        switch self {
        case let .string(s): Array(s.utf8)
        case let .bytes(b): b
        case let .int(i): Array(String(i).utf8)
        case let .float(d): Array(YAMLFloatFormat.goFixed(d).utf8)
        case let .bool(b): Array((b ? "True" : "False").utf8)
        case let .time(t): Array(t.rfc3339.utf8)
        case let .comment(c): Array(c.utf8)
        case .map, .list, .null: nil
        }
    }

    /// Parses decrypted bytes by their `type:` tag, as aes/cipher.go Decrypt does.
    init?(plaintext: [UInt8], type: String) {
        switch type {
        case "str":
            if let text = String(validating: plaintext, as: UTF8.self) { self = .string(text) } else { self = .bytes(plaintext) }
        case "bytes":
            self = .bytes(plaintext)
        case "comment":
            self = .comment(String(decoding: plaintext, as: UTF8.self))
        case "int":
            guard let i = Int64(String(decoding: plaintext, as: UTF8.self)) else { return nil }
            self = .int(i)
        case "float":
            guard let d = GoStrconv.parseFloat(String(decoding: plaintext, as: UTF8.self)) else { return nil }
            self = .float(d)
        case "bool":
            guard let b = GoStrconv.parseBool(String(decoding: plaintext, as: UTF8.self)) else { return nil }
            self = .bool(b)
        case "time":
            guard let t = YAMLTimestampParser.parse(String(decoding: plaintext, as: UTF8.self)) else { return nil }
            self = .time(t)
        default:
            return nil
        }
    }
}

/// The parts of Go's strconv that decryption needs to read typed plaintext back.
enum GoStrconv {
    static func parseBool(_ text: String) -> Bool? {
        switch text {
        case "1", "t", "T", "TRUE", "true", "True": true
        case "0", "f", "F", "FALSE", "false", "False": false
        default: nil
        }
    }

    static func parseFloat(_ text: String) -> Double? {
        switch text.lowercased() {
        case "inf", "+inf", "infinity", "+infinity": return .infinity
        case "-inf", "-infinity": return -.infinity
        case "nan": return .nan
        default: return Double(text)
        }
    }
}
