/// One warning an API server attached to a response as an RFC 7234 `Warning` header:
/// `299 - "autoscaling/v2beta2 HorizontalPodAutoscaler is deprecated in v1.23+, …"`.
/// kube-apiserver sends them for deprecated API versions, deprecated CRD versions and field
/// problems; kubectl prints the code-299 ones on stderr.
struct APIWarning: Sendable, Equatable {
    /// The three-digit warn-code; kube-apiserver always sends 299 ("miscellaneous persistent warning").
    var code: Int
    /// The warn-agent, `-` when the server names none.
    var agent: String
    /// The warn-text, unquoted and unescaped.
    var text: String

    init(code: Int, agent: String, text: String) {
        self.code = code
        self.agent = agent
        self.text = text
    }

    /// The warnings in every `Warning` header value of one response, in order. A malformed
    /// warning ends the parse of its own header value only; the warnings before it are kept
    /// and the request is never failed for it (client-go's ParseWarningHeaders does the same).
    static func parse(headerValues: [[UInt8]]) -> [APIWarning] {
        headerValues.flatMap { parse(headerValue: $0) }
    }

    /// The warnings of one header value: `warning *( "," warning )`.
    static func parse(headerValue: [UInt8]) -> [APIWarning] {
        var warnings: [APIWarning] = []
        var rest = trimmed(headerValue[...])
        while !rest.isEmpty {
            guard let (warning, remainder) = parseOne(rest) else { break }
            warnings.append(warning)
            rest = remainder
        }
        return warnings
    }

    static func parse(headerValue: String) -> [APIWarning] { parse(headerValue: Array(headerValue.utf8)) }

    /// `warn-code SP warn-agent SP warn-text [SP warn-date]`, then an optional comma before the
    /// next warning. The fields are split at single spaces, as kube's parser splits them, so a
    /// doubled space leaves an empty agent and makes the warning malformed.
    private static func parseOne(_ input: ArraySlice<UInt8>) -> (APIWarning, ArraySlice<UInt8>)? {
        let input = trimmed(input)
        guard let firstSpace = input.firstIndex(of: space) else { return nil }
        let codeBytes = input[..<firstSpace]
        let afterCode = input[(firstSpace + 1)...]
        guard let secondSpace = afterCode.firstIndex(of: space) else { return nil }
        let agentBytes = afterCode[..<secondSpace]
        let textAndRest = afterCode[(secondSpace + 1)...]

        guard codeBytes.count == 3, codeBytes.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }),
              let code = Int(String(decoding: codeBytes, as: UTF8.self)) else { return nil }
        guard !agentBytes.isEmpty, let agent = printableText(agentBytes) else { return nil }
        guard let (quoted, afterText) = quotedString(textAndRest) else { return nil }
        // Warnings written to RFC 2616 may carry RFC 2047 encoded words; RFC 7234 dropped them,
        // but kube's client still decodes them when it can.
        guard let raw = String(validating: quoted, as: UTF8.self),
              let text = printable(EncodedWords.decode(raw) ?? raw) else { return nil }

        var rest = afterText
        if rest.first == quote {
            // An optional warn-date: quoted, with no escapes inside.
            let body = rest.dropFirst()
            guard let close = body.firstIndex(of: quote) else { return nil }
            rest = trimmed(body[(close + 1)...])
        }
        if let first = rest.first {
            guard first == comma else { return nil }
            rest = trimmed(rest.dropFirst())
        }
        return (APIWarning(code: code, agent: agent, text: text), rest)
    }

    /// A quoted-string: the bytes between the quotes with each `\x` turned into `x`, and what
    /// follows the closing quote (trimmed).
    private static func quotedString(_ input: ArraySlice<UInt8>) -> ([UInt8], ArraySlice<UInt8>)? {
        guard input.first == quote else { return nil }
        var result: [UInt8] = []
        var escaping = false
        var index = input.index(after: input.startIndex)
        while index < input.endIndex {
            let byte = input[index]
            if escaping {
                result.append(byte)
                escaping = false
            } else if byte == backslash {
                escaping = true
            } else if byte == quote {
                return (result, trimmed(input[(index + 1)...]))
            } else {
                result.append(byte)
            }
            index += 1
        }
        return nil
    }

    /// The bytes as text when they are valid UTF-8 without control characters (C0, DEL, C1):
    /// what kube accepts as an agent or a warning text.
    private static func printableText(_ bytes: ArraySlice<UInt8>) -> String? {
        String(validating: bytes, as: UTF8.self).flatMap(printable)
    }

    private static func printable(_ text: String) -> String? {
        let isControl = text.unicodeScalars.contains { $0.value < 0x20 || (0x7F...0x9F).contains($0.value) }
        return isControl ? nil : text
    }

    /// Without leading and trailing spaces, tabs, CR and LF.
    private static func trimmed(_ bytes: ArraySlice<UInt8>) -> ArraySlice<UInt8> {
        let isBlank: (UInt8) -> Bool = { $0 == 0x20 || $0 == 0x09 || $0 == 0x0D || $0 == 0x0A || $0 == 0x0B || $0 == 0x0C }
        guard let start = bytes.firstIndex(where: { !isBlank($0) }),
              let end = bytes.lastIndex(where: { !isBlank($0) }) else { return bytes[bytes.endIndex...] }
        return bytes[start...end]
    }

    private static let space = UInt8(ascii: " ")
    private static let quote = UInt8(ascii: "\"")
    private static let backslash = UInt8(ascii: "\\")
    private static let comma = UInt8(ascii: ",")
}
