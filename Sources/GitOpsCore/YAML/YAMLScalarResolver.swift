/// Resolves plain scalars to typed values the way go-yaml does (resolve.go in yaml.v3 and
/// yaml.v2), so a value means the same thing to gitopsctl as to sops, kustomize or kubectl.
enum YAMLScalarResolver {
    static func resolve(_ text: String, tag: String?, style: YAMLStyle, profile: YAMLProfile) -> YAMLScalarValue {
        if let tag {
            return resolveTagged(text, tag: tag, profile: profile)
        }
        if style.isQuotedOrBlock { return .string(text) }
        return resolvePlain(text, profile: profile)
    }

    private static func resolveTagged(_ text: String, tag: String, profile: YAMLProfile) -> YAMLScalarValue {
        switch tag {
        case YAMLTag.str, YAMLTag.binary:
            return .string(text)
        case YAMLTag.null:
            return .null
        case YAMLTag.int, YAMLTag.float, YAMLTag.bool, YAMLTag.timestamp:
            let value = resolvePlain(text, profile: profile)
            if tag == YAMLTag.float, case let .int(i) = value { return .float(Double(i)) }
            return value
        default:
            // Unknown (application) tags keep the text: sops and go-yaml treat them as strings.
            return .string(text)
        }
    }

    static func resolvePlain(_ text: String, profile: YAMLProfile) -> YAMLScalarValue {
        let utf8 = text.utf8
        guard let first = utf8.first else { return .null }
        switch text {
        case "~", "null", "Null", "NULL": return .null
        case "true", "True", "TRUE": return .bool(true)
        case "false", "False", "FALSE": return .bool(false)
        case ".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF": return .float(.infinity)
        case "-.inf", "-.Inf", "-.INF": return .float(-.infinity)
        case ".nan", ".NaN", ".NAN": return .float(.nan)
        default: break
        }
        if profile == .yaml11, let b = yaml11Bool(text) { return .bool(b) }
        switch first {
        case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "+"):
            if let t = YAMLTimestampParser.parse(text) { return .timestamp(t) }
            let plain = text.contains("_") ? text.replacingAll("_", with: "") : text
            if let i = GoNumberParser.parseInt(plain) { return .int(i) }
            if let u = GoNumberParser.parseUInt(plain) { return .unsignedInt(u) }
            if GoNumberParser.isYAMLStyleFloat(plain), let d = Double(plain) { return .float(d) }
        case UInt8(ascii: "."):
            if GoNumberParser.isGoFloat(text), let d = Double(text) { return .float(d) }
        default:
            break
        }
        return .string(text)
    }

    /// YAML 1.1 booleans go-yaml v2 accepts beyond `true`/`false`.
    static func yaml11Bool(_ text: String) -> Bool? {
        switch text {
        case "y", "Y", "yes", "Yes", "YES", "on", "On", "ON": return true
        case "n", "N", "no", "No", "NO", "off", "Off", "OFF": return false
        default: return nil
        }
    }

    /// go-yaml v3 quotes these when writing strings so YAML 1.1 readers keep them strings.
    static func isOldBool(_ text: String) -> Bool { yaml11Bool(text) != nil }

    /// go-yaml v3's isBase60Float: `1:20` would be a sexagesimal number to a YAML 1.1 reader.
    static func isBase60Float(_ text: String) -> Bool {
        let b = Array(text.utf8)
        guard let first = b.first, first == UInt8(ascii: "+") || first == UInt8(ascii: "-")
                || first == UInt8(ascii: ".") || (first >= 0x30 && first <= 0x39),
              b.contains(UInt8(ascii: ":")) else { return false }
        // ^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?$
        var i = 0
        if b[i] == UInt8(ascii: "+") || b[i] == UInt8(ascii: "-") { i += 1 }
        guard i < b.count, isDigit(b[i]) else { return false }
        i += 1
        while i < b.count, isDigit(b[i]) || b[i] == UInt8(ascii: "_") { i += 1 }
        var groups = 0
        while i < b.count, b[i] == UInt8(ascii: ":") {
            i += 1
            let start = i
            while i < b.count, isDigit(b[i]), i - start < 2 { i += 1 }
            let digits = b[start..<i]
            guard !digits.isEmpty else { return false }
            if digits.count == 2, let lead = digits.first, lead > UInt8(ascii: "5") { return false }
            groups += 1
        }
        guard groups > 0 else { return false }
        if i < b.count, b[i] == UInt8(ascii: ".") {
            i += 1
            while i < b.count, isDigit(b[i]) || b[i] == UInt8(ascii: "_") { i += 1 }
        }
        return i == b.count
    }

    static func isDigit(_ c: UInt8) -> Bool { c >= 0x30 && c <= 0x39 }
}

extension String {
    func replacingAll(_ target: Character, with replacement: String) -> String {
        var out = ""
        out.reserveCapacity(utf8.count)
        for c in self { if c == target { out += replacement } else { out.append(c) } }
        return out
    }
}
