/// An age X25519 recipient, `age1…`: the public half of an `AGE-SECRET-KEY-…` identity.
public struct X25519Recipient: Sendable, Equatable, CustomStringConvertible {
    static let hrp = "age"
    static let label = "age-encryption.org/v1/X25519"
    let publicKey: [UInt8]

    init(publicKey: [UInt8]) { self.publicKey = publicKey }

    /// Parses `age1…` strictly (Bech32 checksum, lower case, 32-byte key).
    public init(parsing text: String) throws(CryptoError) {
        switch Bech32.decode(text) {
        case .failure(let failure):
            throw .malformedRecipient(text, reason: failure.description)
        case .success(let (hrp, data)):
            guard hrp == X25519Recipient.hrp else { throw .malformedRecipient(text, reason: "invalid type \"\(hrp)\"") }
            guard data.count == 32 else { throw .malformedRecipient(text, reason: "invalid key length") }
            publicKey = data
        }
    }

    /// The `age1…` string.
    public var description: String { Bech32.encode(hrp: X25519Recipient.hrp, data: publicKey) }
}

extension X25519Recipient: AgeStanzaWrapping {
    func wrap(_ fileKey: SecretBytes) throws(CryptoError) -> AgeStanza {
        let ephemeral = SecretBytes.random(count: 32)
        let share = try Sodium.x25519Base(ephemeral)
        let shared = try Sodium.x25519(ephemeral, publicKey)
        let key = HKDF.sha256(secret: .secret(shared), salt: share + publicKey, info: X25519Recipient.label)
        return AgeStanza(type: "X25519", arguments: [Base64.encodeString(share)],
                         body: try FileKeyWrap.seal(fileKey, with: key))
    }
}

/// An age X25519 identity, `AGE-SECRET-KEY-…`.
public struct X25519Identity: Sendable, CustomStringConvertible {
    static let hrp = "AGE-SECRET-KEY-"
    let secretKey: SecretBytes
    /// The matching recipient.
    public let recipient: X25519Recipient

    init(secretKey: SecretBytes) throws(CryptoError) {
        self.secretKey = secretKey
        recipient = X25519Recipient(publicKey: try Sodium.x25519Base(secretKey))
    }

    /// A new random identity.
    public static func generate() throws(CryptoError) -> X25519Identity {
        try X25519Identity(secretKey: .random(count: 32))
    }

    /// Parses `AGE-SECRET-KEY-…` (upper case only, as age requires). The failure reason
    /// never repeats the text, which is a secret.
    public init(parsing text: String) throws(CryptoError) {
        switch Bech32.decode(text) {
        case .failure(let failure):
            throw .malformedIdentity(source: "", line: 0, reason: failure.description)
        case .success(let (hrp, data)):
            var data = data
            defer { Sodium.zero(&data) }
            guard hrp == X25519Identity.hrp else {
                throw .malformedIdentity(source: "", line: 0, reason: "unknown identity type")
            }
            guard data.count == 32 else { throw .malformedIdentity(source: "", line: 0, reason: "invalid key length") }
            try self.init(secretKey: SecretBytes(consuming: &data))
        }
    }

    /// The `AGE-SECRET-KEY-…` string: the secret itself. Only `keygen` should print it.
    public var secretKeyString: String {
        var bytes: [UInt8] = secretKey.withUnsafeBytes { Array($0) }
        defer { Sodium.zero(&bytes) }
        return Bech32.encode(hrp: X25519Identity.hrp, data: bytes).uppercased()
    }

    public var description: String { "X25519Identity(\(recipient))" }
}

extension X25519Identity: AgeStanzaUnwrapping {
    func unwrap(_ stanza: AgeStanza) throws(CryptoError) -> SecretBytes? {
        guard stanza.type == "X25519" else { return nil }
        let arguments = try stanza.arguments(count: 1)
        let share = try stanza.decoded(arguments[0], size: 32, invalid: "invalid ephemeral share")
        let shared: SecretBytes
        do { shared = try Sodium.x25519(secretKey, share) } catch { throw .invalidStanza(type: "X25519", reason: "low-order ephemeral share") }
        let key = HKDF.sha256(secret: .secret(shared), salt: share + recipient.publicKey, info: X25519Recipient.label)
        return try FileKeyWrap.open(stanza.body, with: key, type: "X25519")
    }
}
