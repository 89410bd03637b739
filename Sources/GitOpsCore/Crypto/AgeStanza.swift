/// One recipient stanza of an age header: `-> type args…` and a body. [age: internal/format]
struct AgeStanza: Equatable, Sendable {
    var type: String
    var arguments: [String]
    var body: [UInt8]

    /// The canonical text: arguments separated by single spaces, body in unpadded base64
    /// wrapped at 64 columns, always ending with a line shorter than 64 (possibly empty).
    var encoded: [UInt8] {
        var out = Array("->".utf8)
        for arg in [type] + arguments { out.append(UInt8(ascii: " ")); out += Array(arg.utf8) }
        out.append(UInt8(ascii: "\n"))
        let text = Base64.encode(body, padded: false)
        var i = 0
        while true {
            let end = min(i + 64, text.count)
            out += text[i..<end]
            out.append(UInt8(ascii: "\n"))
            if end - i < 64 { break }
            i = end
        }
        return out
    }
}

extension AgeStanza {
    /// The arguments, when there are exactly `count` of them; otherwise the stanza is invalid.
    func arguments(count: Int) throws(CryptoError) -> [String] {
        guard arguments.count == count else { throw .invalidStanza(type: type, reason: "wrong number of arguments") }
        return arguments
    }

    /// `argument` decoded from age's unpadded base64 when it holds exactly `size` bytes;
    /// otherwise the stanza is invalid for `reason` (`invalid salt`).
    func decoded(_ argument: String, size: Int, invalid reason: String) throws(CryptoError) -> [UInt8] {
        guard let bytes = Base64.decode(argument), bytes.count == size else {
            throw .invalidStanza(type: type, reason: reason)
        }
        return bytes
    }
}

/// What a recipient type does to a file key.
protocol AgeStanzaWrapping: Sendable {
    func wrap(_ fileKey: SecretBytes) throws(CryptoError) -> AgeStanza
}

/// What an identity type does with a stanza: the file key, `nil` when the stanza is not for
/// it (wrong type, other key), or a thrown error when the stanza is malformed, which age
/// treats as fatal rather than trying the next stanza.
protocol AgeStanzaUnwrapping: Sendable {
    func unwrap(_ stanza: AgeStanza) throws(CryptoError) -> SecretBytes?
}

/// Shared by the X25519, ssh-ed25519 and scrypt stanzas: ChaCha20-Poly1305 with a zero nonce
/// around the 16-byte file key. [age: primitives.go aeadEncrypt/aeadDecrypt]
enum FileKeyWrap {
    static let fileKeySize = 16
    private static let zeroNonce = [UInt8](repeating: 0, count: 12)

    static func seal(_ fileKey: SecretBytes, with key: SecretBytes) throws(CryptoError) -> [UInt8] {
        try Sodium.seal(fileKey, key: key, nonce: zeroNonce)
    }

    /// nil: wrong key (try the next one); throws when the body has the wrong size.
    static func open(_ body: [UInt8], with key: SecretBytes, type: String) throws(CryptoError) -> SecretBytes? {
        guard body.count == fileKeySize + Sodium.aeadTagSize else {
            throw .invalidStanza(type: type, reason: "incorrect file key size")
        }
        return try Sodium.open(body, key: key, nonce: zeroNonce)
    }
}
