/// An OpenSSH `ssh-ed25519` public key used as an age recipient (the authorized_keys line
/// `ssh-ed25519 AAAA… comment`). [age: agessh/agessh.go]
public struct SSHEd25519Recipient: Sendable, Equatable, CustomStringConvertible {
    static let label = "age-encryption.org/v1/ssh-ed25519"
    /// SSH wire encoding of the public key: `string "ssh-ed25519" ‖ string pub32`.
    let wireKey: [UInt8]
    let x25519Key: [UInt8]

    init(ed25519PublicKey: [UInt8]) throws(CryptoError) {
        wireKey = SSHWireReader.string(Array("ssh-ed25519".utf8)) + SSHWireReader.string(ed25519PublicKey)
        x25519Key = try Sodium.ed25519PublicToX25519(ed25519PublicKey)
    }

    /// Parses an authorized_keys line (`ssh-ed25519 <base64> [comment]`).
    public init(parsing line: String) throws(CryptoError) {
        let fields = line.split(separator: " ", omittingEmptySubsequences: true)
        guard fields.count >= 2, fields[0] == "ssh-ed25519" else {
            throw .malformedRecipient(line, reason: "not an ssh-ed25519 public key")
        }
        guard let wire = Base64.decode(String(fields[1]), padded: true) else {
            throw .malformedRecipient(line, reason: "invalid base64 in the public key")
        }
        var reader = SSHWireReader(wire)
        guard reader.string() == Array("ssh-ed25519".utf8), let key = reader.string(), key.count == 32, reader.isAtEnd else {
            throw .malformedRecipient(line, reason: "malformed ssh-ed25519 public key")
        }
        do { try self.init(ed25519PublicKey: key) } catch { throw .malformedRecipient(line, reason: "invalid Ed25519 point") }
    }

    /// `base64raw(SHA-256(wire key)[0..<4])`: lets an identity skip stanzas for other keys.
    var fingerprint: String { Base64.encodeString(Array(Sodium.sha256(wireKey).prefix(4))) }

    public var description: String { "ssh-ed25519 " + Base64.encodeString(wireKey, padded: true) }
}

extension SSHEd25519Recipient: AgeStanzaWrapping {
    func wrap(_ fileKey: SecretBytes) throws(CryptoError) -> AgeStanza {
        let ephemeral = SecretBytes.random(count: 32)
        let share = try Sodium.x25519Base(ephemeral)
        let shared = try Sodium.x25519(ephemeral, x25519Key)
        let key = try SSHEd25519Recipient.wrapKey(shared: shared, share: share, recipientKey: x25519Key, wireKey: wireKey)
        return AgeStanza(type: "ssh-ed25519", arguments: [fingerprint, Base64.encodeString(share)],
                         body: try FileKeyWrap.seal(fileKey, with: key))
    }

    /// The tweak binds the stanza to the SSH key itself, not only to its X25519 form.
    static func wrapKey(shared: SecretBytes, share: [UInt8], recipientKey: [UInt8], wireKey: [UInt8]) throws(CryptoError) -> SecretBytes {
        let tweak = HKDF.sha256(secret: .bytes([]), salt: wireKey, info: label)
        let tweaked = try Sodium.x25519(tweak, .secret(shared))
        return HKDF.sha256(secret: .secret(tweaked), salt: share + recipientKey, info: label)
    }
}

/// An unencrypted OpenSSH ed25519 private key (PEM label `OPENSSH PRIVATE KEY`) used as an
/// age identity.
public struct SSHEd25519Identity: Sendable, CustomStringConvertible {
    public let recipient: SSHEd25519Recipient
    let scalar: SecretBytes

    /// The PEM armor lines of an OpenSSH private key file.
    static let pemLabel = "OPENSSH PRIVATE KEY"
    static let pemBegin = "-----BEGIN \(pemLabel)-----"
    static let pemEnd = "-----END \(pemLabel)-----"

    /// Parses the PEM text of an OpenSSH private key file; `source` names it in errors.
    public init(pem: String, source: String) throws(CryptoError) {
        let lines = pem.split(whereSeparator: { $0 == "\n" || $0 == "\r" }).map(String.init)
        guard let begin = lines.firstIndex(of: Self.pemBegin),
              let end = lines.firstIndex(of: Self.pemEnd), begin < end else {
            throw .sshKey(source: source, reason: "not an OpenSSH private key")
        }
        guard var blob = Base64.decode(lines[(begin + 1)..<end].joined(), padded: true) else {
            throw .sshKey(source: source, reason: "invalid base64 in the private key")
        }
        defer { Sodium.zero(&blob) }
        var reader = SSHWireReader(blob)
        let magic = Array("openssh-key-v1".utf8) + [0]
        guard reader.bytes(magic.count) == magic, let cipher = reader.string(), let kdf = reader.string(),
              reader.string() != nil, let count = reader.uint32() else {
            throw .sshKey(source: source, reason: "malformed OpenSSH private key")
        }
        guard cipher == Array("none".utf8), kdf == Array("none".utf8) else {
            throw .sshKey(source: source, reason: "passphrase-protected SSH keys are not supported; remove the passphrase with ssh-keygen -p")
        }
        guard count == 1, reader.string() != nil, var privateBlock = reader.string() else {
            throw .sshKey(source: source, reason: "malformed OpenSSH private key")
        }
        defer { Sodium.zero(&privateBlock) }
        var inner = SSHWireReader(privateBlock)
        guard let check1 = inner.uint32(), let check2 = inner.uint32(), check1 == check2, let type = inner.string() else {
            throw .sshKey(source: source, reason: "malformed OpenSSH private key")
        }
        guard type == Array("ssh-ed25519".utf8) else {
            throw .sshKey(source: source, reason: "only ssh-ed25519 keys are supported as identities")
        }
        guard let publicKey = inner.string(), publicKey.count == 32, var secret = inner.string(), secret.count == 64 else {
            throw .sshKey(source: source, reason: "malformed ssh-ed25519 private key")
        }
        let secretKey = SecretBytes(consuming: &secret)
        recipient = try SSHEd25519Recipient(ed25519PublicKey: publicKey)
        scalar = try Sodium.ed25519SecretToX25519(secretKey)
    }

    public var description: String { "SSHEd25519Identity(\(recipient))" }
}

extension SSHEd25519Identity: AgeStanzaUnwrapping {
    func unwrap(_ stanza: AgeStanza) throws(CryptoError) -> SecretBytes? {
        guard stanza.type == "ssh-ed25519" else { return nil }
        let arguments = try stanza.arguments(count: 2)
        let share = try stanza.decoded(arguments[1], size: 32, invalid: "invalid ephemeral share")
        guard arguments[0] == recipient.fingerprint else { return nil }
        let shared: SecretBytes
        do { shared = try Sodium.x25519(scalar, share) } catch { throw .invalidStanza(type: "ssh-ed25519", reason: "low-order ephemeral share") }
        let key = try SSHEd25519Recipient.wrapKey(shared: shared, share: share, recipientKey: recipient.x25519Key,
                                                  wireKey: recipient.wireKey)
        return try FileKeyWrap.open(stanza.body, with: key, type: "ssh-ed25519")
    }
}
