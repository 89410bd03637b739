/// What a scalar's text allows, as libyaml/go-yaml's `yaml_emitter_analyze_scalar` decides:
/// which styles can carry it unchanged.
struct YAMLScalarAnalysis {
    var multiline = false
    var flowPlainAllowed = true
    var blockPlainAllowed = true
    var singleQuotedAllowed = true
    var blockAllowed = true

    init(_ text: String) {
        let s = Array(text.unicodeScalars)
        guard !s.isEmpty else {
            flowPlainAllowed = false
            blockAllowed = false
            return
        }
        var blockIndicators = false, flowIndicators = false, lineBreaks = false
        var special = false, tabs = false
        var leadingSpace = false, leadingBreak = false, trailingSpace = false, trailingBreak = false
        var breakSpace = false, spaceBreak = false
        var previousSpace = false, previousBreak = false
        if text.hasPrefix("---") || text.hasPrefix("...") {
            blockIndicators = true
            flowIndicators = true
        }
        var precededByWhitespace = true
        for (i, c) in s.enumerated() {
            let followedByWhitespace = i + 1 >= s.count || Self.isBlankOrBreak(s[i + 1])
            if i == 0 {
                switch c {
                case "#", ",", "[", "]", "{", "}", "&", "*", "!", "|", ">", "'", "\"", "%", "@", "`":
                    flowIndicators = true; blockIndicators = true
                case "?", ":":
                    flowIndicators = true
                    if followedByWhitespace { blockIndicators = true }
                case "-":
                    if followedByWhitespace { flowIndicators = true; blockIndicators = true }
                default: break
                }
            } else {
                switch c {
                case ",", "?", "[", "]", "{", "}":
                    flowIndicators = true
                case ":":
                    flowIndicators = true
                    if followedByWhitespace { blockIndicators = true }
                case "#":
                    if precededByWhitespace { flowIndicators = true; blockIndicators = true }
                default: break
                }
            }
            if c == "\t" {
                tabs = true
            } else if !Self.isPrintable(c) || c.value == 0x85 || c.value == 0x2028 || c.value == 0x2029 {
                // NEL, LS and PS are line breaks to a reader; only escapes carry them intact.
                special = true
            }
            if c == " " {
                if i == 0 { leadingSpace = true }
                if i == s.count - 1 { trailingSpace = true }
                if previousBreak { breakSpace = true }
                previousSpace = true
                previousBreak = false
            } else if Self.isBreak(c) {
                lineBreaks = true
                if i == 0 { leadingBreak = true }
                if i == s.count - 1 { trailingBreak = true }
                if previousSpace { spaceBreak = true }
                previousSpace = false
                previousBreak = true
            } else {
                previousSpace = false
                previousBreak = false
            }
            precededByWhitespace = Self.isBlankOrBreak(c)
        }
        multiline = lineBreaks
        if leadingSpace || leadingBreak || trailingSpace || trailingBreak {
            flowPlainAllowed = false; blockPlainAllowed = false
        }
        if trailingSpace { blockAllowed = false }
        if breakSpace {
            flowPlainAllowed = false; blockPlainAllowed = false; singleQuotedAllowed = false
        }
        if spaceBreak || tabs || special {
            flowPlainAllowed = false; blockPlainAllowed = false; singleQuotedAllowed = false
        }
        if spaceBreak || special { blockAllowed = false }
        if lineBreaks { flowPlainAllowed = false; blockPlainAllowed = false }
        if flowIndicators { flowPlainAllowed = false }
        if blockIndicators { blockPlainAllowed = false }
    }

    static func isBreak(_ c: Unicode.Scalar) -> Bool {
        c == "\n" || c == "\r" || c.value == 0x85 || c.value == 0x2028 || c.value == 0x2029
    }

    static func isBlankOrBreak(_ c: Unicode.Scalar) -> Bool { c == " " || c == "\t" || isBreak(c) }

    /// YAML's printable set as go-yaml v3's emitter checks it (tab handled separately). Unlike
    /// libyaml, go-yaml's check stops at three-byte UTF-8, so characters outside the Basic
    /// Multilingual Plane (emoji) are written as `\U…` escapes; sops and kustomize both do this.
    static func isPrintable(_ c: Unicode.Scalar) -> Bool {
        switch c.value {
        case 0x0A, 0x20...0x7E, 0x85, 0xA0...0xD7FF: return true
        case 0xE000...0xFFFD: return c.value != 0xFEFF
        default: return false
        }
    }

    /// The escape go-yaml writes inside double quotes, or nil to write the character as is.
    static func doubleQuotedEscape(_ c: Unicode.Scalar) -> String? {
        switch c.value {
        case 0x00: return "\\0"
        case 0x07: return "\\a"
        case 0x08: return "\\b"
        case 0x09: return "\\t"
        case 0x0A: return "\\n"
        case 0x0B: return "\\v"
        case 0x0C: return "\\f"
        case 0x0D: return "\\r"
        case 0x1B: return "\\e"
        case 0x22: return "\\\""
        case 0x5C: return "\\\\"
        case 0x85: return "\\N"
        case 0xA0: return "\\_"
        case 0x2028: return "\\L"
        case 0x2029: return "\\P"
        case 0xFEFF: return "\\uFEFF"
        default:
            guard !isPrintable(c) else { return nil }
            let hex = String(c.value, radix: 16, uppercase: true)
            if c.value <= 0xFF { return "\\x" + String(repeating: "0", count: 2 - hex.count) + hex }
            if c.value <= 0xFFFF { return "\\u" + String(repeating: "0", count: 4 - hex.count) + hex }
            return "\\U" + String(repeating: "0", count: 8 - hex.count) + hex
        }
    }

    /// Block scalar header hints: an indentation digit when the text starts with a space or
    /// break, and the chomping indicator (`-` no final break, `+` several, none for one).
    static func blockHints(_ text: String, indent: Int) -> String {
        var hints = ""
        if let first = text.unicodeScalars.first, first == " " || isBreak(first) {
            hints += String(indent)
        }
        let scalars = Array(text.unicodeScalars)
        guard let last = scalars.last, isBreak(last) else { return hints + "-" }
        if scalars.count == 1 { return hints + "+" }
        if isBreak(scalars[scalars.count - 2]) { return hints + "+" }
        return hints
    }
}

extension YAMLScalarResolver {
    /// The standard tag of a resolved value (`!!int` for `.int`).
    static func tag(of value: YAMLScalarValue) -> String {
        switch value {
        case .null: return YAMLTag.null
        case .bool: return YAMLTag.bool
        case .int, .unsignedInt: return YAMLTag.int
        case .float: return YAMLTag.float
        case .timestamp: return YAMLTag.timestamp
        case .string: return YAMLTag.str
        }
    }
}
