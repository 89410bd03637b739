/// Shamir secret sharing over GF(2^8) with the AES polynomial, byte by byte, as sops's
/// shamir package (a copy of HashiCorp Vault's) does for key groups. A share is one
/// polynomial value per secret byte followed by the share's x coordinate.
enum SopsShamir {
    /// Splits `secret` into `parts` shares, any `threshold` of which recover it.
    /// x coordinates are 1…parts; the stored x byte makes any distinct choice readable.
    static func split(_ secret: SecretBytes, parts: Int, threshold: Int) -> [SecretBytes] {
        precondition(parts >= threshold && threshold >= 2 && parts < 256)
        var shares = [[UInt8]](repeating: [UInt8](repeating: 0, count: secret.count + 1), count: parts)
        secret.withUnsafeBytes { bytes in
            for (byteIndex, byte) in bytes.enumerated() {
                var coefficients = Sodium.randomBytes(threshold)
                coefficients[0] = byte
                for part in 0..<parts {
                    shares[part][byteIndex] = evaluate(coefficients, at: UInt8(part + 1))
                }
                Sodium.zero(&coefficients)
            }
        }
        return shares.indices.map { part in
            shares[part][secret.count] = UInt8(part + 1)
            return SecretBytes(consuming: &shares[part])
        }
    }

    /// Recovers the secret from `threshold` or more shares (Lagrange interpolation at x = 0).
    static func combine(_ shares: [SecretBytes]) -> SecretBytes? {
        guard shares.count >= 2, let length = shares.first?.count, length > 1,
              shares.allSatisfy({ $0.count == length }) else { return nil }
        var raw = shares.map { share in share.withUnsafeBytes { Array($0) } }
        defer { for i in raw.indices { Sodium.zero(&raw[i]) } }
        let xs = raw.map { $0[length - 1] }
        guard Set(xs).count == xs.count, !xs.contains(0) else { return nil }
        var secret = [UInt8](repeating: 0, count: length - 1)
        for byteIndex in 0..<(length - 1) {
            var value: UInt8 = 0
            for i in raw.indices {
                var basis: UInt8 = 1
                for j in raw.indices where j != i {
                    // l_i(0) = Π x_j / (x_j − x_i); subtraction is XOR in GF(2^8).
                    basis = multiply(basis, divide(xs[j], xs[i] ^ xs[j]))
                }
                value ^= multiply(raw[i][byteIndex], basis)
            }
            secret[byteIndex] = value
        }
        return SecretBytes(consuming: &secret)
    }

    private static func evaluate(_ coefficients: [UInt8], at x: UInt8) -> UInt8 {
        var result: UInt8 = 0
        for coefficient in coefficients.reversed() {
            result = multiply(result, x) ^ coefficient
        }
        return result
    }

    /// Carry-less multiplication modulo x^8 + x^4 + x^3 + x + 1, without secret-dependent branches.
    static func multiply(_ a: UInt8, _ b: UInt8) -> UInt8 {
        var a = a, b = b, product: UInt8 = 0
        for _ in 0..<8 {
            product ^= a & (0 &- (b & 1))
            let carry = a >> 7
            a = (a << 1) ^ (0x1B & (0 &- carry))
            b >>= 1
        }
        return product
    }

    static func divide(_ a: UInt8, _ b: UInt8) -> UInt8 {
        multiply(a, inverse(b))
    }

    /// b^254 = b^-1 in GF(2^8).
    private static func inverse(_ b: UInt8) -> UInt8 {
        var result: UInt8 = 1
        var base = b
        var exponent = 254
        while exponent > 0 {
            if exponent & 1 == 1 { result = multiply(result, base) }
            base = multiply(base, base)
            exponent >>= 1
        }
        return result
    }
}
