/// A passphrase used as the one recipient of a file (`age -p`). [age: scrypt.go]
public struct ScryptRecipient: Sendable {
    static let label = "age-encryption.org/v1/scrypt"
    /// age's default: 2^18 iterations, about one second on a laptop.
    public static let defaultWorkFactor = 18
    let passphrase: SecretBytes
    let workFactor: Int

    public init(passphrase: SecretBytes, workFactor: Int = ScryptRecipient.defaultWorkFactor) {
        self.passphrase = passphrase
        self.workFactor = workFactor
    }
}

extension ScryptRecipient: AgeStanzaWrapping {
    func wrap(_ fileKey: SecretBytes) throws(CryptoError) -> AgeStanza {
        let salt = Sodium.randomBytes(16)
        let key = try Sodium.scrypt(passphrase: passphrase, salt: Array(ScryptRecipient.label.utf8) + salt, logN: workFactor)
        return AgeStanza(type: "scrypt", arguments: [Base64.encodeString(salt), String(workFactor)],
                         body: try FileKeyWrap.seal(fileKey, with: key))
    }
}

/// A passphrase offered to decrypt a file.
public struct ScryptIdentity: Sendable {
    /// age's default ceiling: 2^22 takes seconds and a gigabyte; more is refused, not computed.
    public static let defaultMaxWorkFactor = 22
    let passphrase: SecretBytes
    let maxWorkFactor: Int

    public init(passphrase: SecretBytes, maxWorkFactor: Int = ScryptIdentity.defaultMaxWorkFactor) {
        self.passphrase = passphrase
        self.maxWorkFactor = maxWorkFactor
    }
}

extension ScryptIdentity: AgeStanzaUnwrapping {
    func unwrap(_ stanza: AgeStanza) throws(CryptoError) -> SecretBytes? {
        guard stanza.type == "scrypt" else { return nil }
        let arguments = try stanza.arguments(count: 2)
        let salt = try stanza.decoded(arguments[0], size: 16, invalid: "invalid salt")
        // age accepts only ^[1-9][0-9]*$: no sign, no leading zero, no hex.
        let factor = arguments[1]
        guard let first = factor.utf8.first, first >= UInt8(ascii: "1"), first <= UInt8(ascii: "9"),
              factor.utf8.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }),
              let logN = Int(factor) else {
            throw .invalidStanza(type: "scrypt", reason: "invalid work factor")
        }
        guard logN <= maxWorkFactor else { throw .scryptWorkFactorTooLarge(logN) }
        let key = try Sodium.scrypt(passphrase: passphrase, salt: Array(ScryptRecipient.label.utf8) + salt, logN: logN)
        return try FileKeyWrap.open(stanza.body, with: key, type: "scrypt")
    }
}
