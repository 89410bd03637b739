/// Bech32 (BIP 173 checksum) as age uses it for keys: no 90-character limit, all upper or
/// all lower case, HRP returned with the case it was written in. [age: internal/bech32]
enum Bech32 {
    private static let charset = Array("qpzry9x8gf2tvdw0s3jn54khce6mua7l".utf8)
    private static let reverse: [Int8] = {
        var table = [Int8](repeating: -1, count: 128)
        for (i, c) in charset.enumerated() { table[Int(c)] = Int8(i) }
        return table
    }()
    private static let generator: [UInt32] = [0x3b6a57b2, 0x26508e6d, 0x1ea119fa, 0x3d4233dd, 0x2a1462b3]

    private static func polymod(_ values: [UInt8]) -> UInt32 {
        var chk: UInt32 = 1
        for v in values {
            let top = chk >> 25
            chk = (chk & 0x1ffffff) << 5 ^ UInt32(v)
            for i in 0..<5 where (top >> UInt32(i)) & 1 == 1 { chk ^= generator[i] }
        }
        return chk
    }

    private static func expand(_ hrp: [UInt8]) -> [UInt8] {
        let lower = hrp.map { $0 >= 65 && $0 <= 90 ? $0 + 32 : $0 }
        return lower.map { $0 >> 5 } + [0] + lower.map { $0 & 31 }
    }

    /// Regroups bits; on decode (`pad == false`) leftover bits must be fewer than `from` and zero.
    static func convertBits(_ data: [UInt8], from: Int, to: Int, pad: Bool) -> [UInt8]? {
        var acc = 0, bits = 0
        var out: [UInt8] = []
        let maxValue = (1 << to) - 1
        for value in data {
            guard Int(value) >> from == 0 else { return nil }
            acc = (acc << from) | Int(value)
            bits += from
            while bits >= to {
                bits -= to
                out.append(UInt8((acc >> bits) & maxValue))
            }
        }
        if pad {
            if bits > 0 { out.append(UInt8((acc << (to - bits)) & maxValue)) }
        } else if bits >= from || (acc << (to - bits)) & maxValue != 0 {
            return nil
        }
        return out
    }

    /// Encodes in lower case (the checksum is over the lower-cased HRP).
    static func encode(hrp: String, data: [UInt8]) -> String {
        let hrpBytes = Array(hrp.lowercased().utf8)
        let values = convertBits(data, from: 8, to: 5, pad: true) ?? []
        let mod = polymod(expand(hrpBytes) + values + [0, 0, 0, 0, 0, 0]) ^ 1
        let checksum = (0..<6).map { UInt8((mod >> UInt32(5 * (5 - $0))) & 31) }
        return String(decoding: hrpBytes + [UInt8(ascii: "1")] + (values + checksum).map { charset[Int($0)] }, as: UTF8.self)
    }

    /// Decodes `text`, returning the HRP as written and the 8-bit payload; the reason on failure.
    static func decode(_ text: String) -> Result<(hrp: String, data: [UInt8]), Bech32Failure> {
        let bytes = Array(text.utf8)
        let hasLower = bytes.contains { $0 >= 97 && $0 <= 122 }
        let hasUpper = bytes.contains { $0 >= 65 && $0 <= 90 }
        if hasLower && hasUpper { return .failure(.mixedCase) }
        guard let separator = bytes.lastIndex(of: UInt8(ascii: "1")), separator >= 1, separator + 7 <= bytes.count else {
            return .failure(.separator)
        }
        let hrp = Array(bytes[..<separator])
        guard hrp.allSatisfy({ $0 >= 33 && $0 <= 126 }) else { return .failure(.invalidCharacter) }
        var values: [UInt8] = []
        values.reserveCapacity(bytes.count - separator - 1)
        for c in bytes[(separator + 1)...] {
            let lower = c >= 65 && c <= 90 ? c + 32 : c
            guard lower < 128, reverse[Int(lower)] >= 0 else { return .failure(.invalidCharacter) }
            values.append(UInt8(reverse[Int(lower)]))
        }
        guard polymod(expand(hrp) + values) == 1 else { return .failure(.checksum) }
        guard let data = convertBits(Array(values.dropLast(6)), from: 5, to: 8, pad: false) else {
            return .failure(.padding)
        }
        return .success((String(decoding: hrp, as: UTF8.self), data))
    }
}

/// Why a Bech32 string was refused; the texts follow age's wording.
enum Bech32Failure: Error, CustomStringConvertible {
    case mixedCase, separator, invalidCharacter, checksum, padding

    var description: String {
        switch self {
        case .mixedCase: "mixed case"
        case .separator: "separator '1' at invalid position"
        case .invalidCharacter: "invalid character"
        case .checksum: "invalid checksum"
        case .padding: "invalid padding"
        }
    }
}
