import Foundation

/// Variable expansion exactly as kustomize-controller's postBuild runs it (fluxcd/pkg envsubst,
/// a fork of drone/envsubst): `${NAME}` and its function forms, `$$` as the escape for `$`,
/// a bare `$var` left alone. Unlike bash, every default operator (`:=`, `:-`, `=`, `:+`, `:?`)
/// means "the value if non-empty, else the default".
public struct Envsubst: Sendable {
    /// Why an expansion failed; the wording is fluxcd/pkg's.
    public enum Failure: Error, Equatable, CustomStringConvertible {
        case missingClosingBrace
        case unableToParseName
        case badSubstitution
        case unableToParseFunction
        case unableToParseDefault
        case unset(String)

        public var description: String {
            switch self {
            case .missingClosingBrace: return "missing closing brace"
            case .unableToParseName: return "unable to parse variable name"
            case .badSubstitution: return "bad substitution"
            case .unableToParseFunction: return "unable to parse substitution within function"
            case .unableToParseDefault: return "unable to parse default function"
            case let .unset(name): return "variable not set (strict mode): \"\(name)\""
            }
        }
    }

    public var variables: [String: String]
    /// Strict: an undefined variable used without a default operator is an error.
    public var strict: Bool

    public init(variables: [String: String], strict: Bool = false) {
        self.variables = variables
        self.strict = strict
    }

    /// Expands every expression in `text`.
    public func expand(_ text: String) throws(Failure) -> String {
        // Most manifests have no `$` at all.
        guard text.utf8.contains(UInt8(ascii: "$")) else { return text }
        var scanner = Scanner(Array(text.unicodeScalars))
        return try topLevel(&scanner)
    }

    struct Scanner {
        var chars: [Unicode.Scalar]
        var index = 0
        init(_ chars: [Unicode.Scalar]) { self.chars = chars }
        var atEnd: Bool { index >= chars.count }
        func peek(_ offset: Int = 0) -> Unicode.Scalar? {
            index + offset < chars.count ? chars[index + offset] : nil
        }
        mutating func take() -> Unicode.Scalar? {
            defer { index += 1 }
            return peek()
        }
        mutating func consume(_ c: Unicode.Scalar) -> Bool {
            guard peek() == c else { return false }
            index += 1
            return true
        }
    }

    private func topLevel(_ s: inout Scanner) throws(Failure) -> String {
        var out = String.UnicodeScalarView()
        while let c = s.take() {
            guard c == "$" else { out.append(c); continue }
            if s.consume("$") { out.append("$"); continue }
            if s.consume("{") { out.append(contentsOf: try expression(&s).unicodeScalars); continue }
            out.append(c)
        }
        return String(out)
    }

    private static func isNameCharacter(_ c: Unicode.Scalar) -> Bool {
        c == "_" || c.properties.isAlphabetic || c.properties.numericType != nil
    }

    private func name(_ s: inout Scanner) throws(Failure) -> String {
        var name = String.UnicodeScalarView()
        while let c = s.peek(), Self.isNameCharacter(c) { name.append(c); s.index += 1 }
        guard !name.isEmpty else { throw .unableToParseName }
        return String(name)
    }

    /// After `${`: one expression up to and including its `}`.
    private func expression(_ s: inout Scanner) throws(Failure) -> String {
        if s.consume("#") {
            let name = try name(&s)
            guard s.consume("}") else { throw .missingClosingBrace }
            return String(try value(name).utf8.count)
        }
        let name = try name(&s)
        guard let op = s.take() else { throw .missingClosingBrace }
        switch op {
        case "}":
            return try value(name)
        case "=":
            return try fallback(name, &s)
        case ":":
            if let next = s.peek(), ["=", "-", "+", "?"].contains(next) {
                s.index += 1
                return try fallback(name, &s)
            }
            return try substring(name, &s)
        case "^", ",":
            let all = s.consume(op)
            guard s.consume("}") else { throw .missingClosingBrace }
            return changeCase(try value(name), upper: op == "^", all: all)
        case "/":
            return try replace(name, &s)
        case "#", "%":
            let longest = s.consume(op)
            let pattern = try argument(&s)
            return EnvsubstGlob(pattern).trim(try value(name), prefix: op == "#", longest: longest)
        case "-", "+":
            // fluxcd/pkg only knows the colon forms and `=`.
            throw .badSubstitution
        default:
            throw .missingClosingBrace
        }
    }

    /// The variable's value; strict mode refuses an undefined one.
    private func value(_ name: String) throws(Failure) -> String {
        if let value = variables[name] { return value }
        if strict { throw .unset(name) }
        return ""
    }

    /// Text up to the first `}` (consumed), with nested `${…}` expanded.
    private func argument(_ s: inout Scanner) throws(Failure) -> String {
        var out = String.UnicodeScalarView()
        while let c = s.take() {
            if c == "}" { return String(out) }
            if c == "$", s.consume("{") {
                out.append(contentsOf: try expression(&s).unicodeScalars)
                continue
            }
            out.append(c)
        }
        throw .missingClosingBrace
    }

    private func fallback(_ name: String, _ s: inout Scanner) throws(Failure) -> String {
        let def = try argument(&s)
        let current = variables[name] ?? ""
        return current.isEmpty ? def : current
    }

    private func substring(_ name: String, _ s: inout Scanner) throws(Failure) -> String {
        let spec = try argument(&s)
        let current = try value(name)
        let parts = spec.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false)
        guard let offset = Int(parts[0].trimmingSpaces) else { return current }
        let chars = Array(current)
        var start = offset < 0 ? chars.count + offset : offset
        start = max(0, min(start, chars.count))
        var end = chars.count
        if parts.count == 2 {
            guard let length = Int(parts[1].trimmingSpaces) else { return current }
            end = length < 0 ? max(start, chars.count + length) : min(chars.count, start + length)
        }
        return String(chars[start..<max(start, end)])
    }

    private func changeCase(_ value: String, upper: Bool, all: Bool) -> String {
        if all { return upper ? value.uppercased() : value.lowercased() }
        guard let first = value.first else { return value }
        return (upper ? first.uppercased() : first.lowercased()) + value.dropFirst()
    }

    /// `${v/pat/rep}`, `${v//pat/rep}`, `${v/#pat/rep}`, `${v/%pat/rep}`: literal patterns,
    /// `\/` and `\\` escaped; the second `/` is mandatory.
    private func replace(_ name: String, _ s: inout Scanner) throws(Failure) -> String {
        enum Mode { case first, all, prefix, suffix }
        var mode = Mode.first
        if s.consume("/") { mode = .all } else if s.consume("#") { mode = .prefix } else if s.consume("%") { mode = .suffix }
        var pattern = String.UnicodeScalarView()
        var closed = false
        while let c = s.take() {
            if c == "\\", let next = s.peek(), next == "/" || next == "\\" { pattern.append(next); s.index += 1; continue }
            if c == "/" { closed = true; break }
            if c == "}" { throw .unableToParseFunction }
            pattern.append(c)
        }
        guard closed else { throw .missingClosingBrace }
        var replacement = String.UnicodeScalarView()
        var finished = false
        while let c = s.take() {
            if c == "\\", let next = s.peek(), next == "/" || next == "\\" { replacement.append(next); s.index += 1; continue }
            if c == "}" { finished = true; break }
            if c == "$", s.consume("{") { replacement.append(contentsOf: try expression(&s).unicodeScalars); continue }
            replacement.append(c)
        }
        guard finished else { throw .missingClosingBrace }
        let current = try value(name)
        let pat = String(pattern), rep = String(replacement)
        guard !pat.isEmpty else { return current }
        switch mode {
        case .first:
            guard let range = current.range(of: pat) else { return current }
            return current.replacingCharacters(in: range, with: rep)
        case .all: return current.replacingOccurrences(of: pat, with: rep)
        case .prefix: return current.hasPrefix(pat) ? rep + current.dropFirst(pat.count) : current
        case .suffix: return current.hasSuffix(pat) ? current.dropLast(pat.count) + rep : current
        }
    }
}

extension Substring {
    fileprivate var trimmingSpaces: String { trimmingCharacters(in: .whitespaces) }
}

/// A shell glob (`*`, `?`, `[...]`) for the trim operators.
struct EnvsubstGlob {
    var pattern: [Character]

    init(_ text: String) { pattern = Array(text) }

    func trim(_ value: String, prefix: Bool, longest: Bool) -> String {
        let chars = Array(value)
        let lengths = longest ? Array((0...chars.count).reversed()) : Array(0...chars.count)
        for length in lengths {
            let part = prefix ? chars[0..<length] : chars[(chars.count - length)...]
            if matches(Array(part)) {
                return prefix ? String(chars[length...]) : String(chars[..<(chars.count - length)])
            }
        }
        return value
    }

    func matches(_ text: [Character]) -> Bool { match(0, text, 0) }

    private func match(_ p: Int, _ text: [Character], _ t: Int) -> Bool {
        if p == pattern.count { return t == text.count }
        switch pattern[p] {
        case "*":
            for k in t...text.count where match(p + 1, text, k) { return true }
            return false
        case "?":
            return t < text.count && match(p + 1, text, t + 1)
        case "[":
            guard t < text.count, let close = pattern[(p + 1)...].firstIndex(of: "]") else {
                return t < text.count && text[t] == "[" && match(p + 1, text, t + 1)
            }
            var set = Array(pattern[(p + 1)..<close])
            let negate = set.first == "!" || set.first == "^"
            if negate { set.removeFirst() }
            var found = false
            var i = 0
            while i < set.count {
                if i + 2 < set.count, set[i + 1] == "-" {
                    if set[i] <= text[t] && text[t] <= set[i + 2] { found = true }
                    i += 3
                } else {
                    if set[i] == text[t] { found = true }
                    i += 1
                }
            }
            return found != negate && match(close + 1, text, t + 1)
        default:
            return t < text.count && text[t] == pattern[p] && match(p + 1, text, t + 1)
        }
    }
}
