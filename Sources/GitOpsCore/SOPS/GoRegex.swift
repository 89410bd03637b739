import Foundation

/// A Go RE2 pattern matched with search semantics (`regexp.MatchString`), as sops matches
/// `path_regex`, `encrypted_regex` and the other crypt rules.
///
/// The patterns people write there (`^(data|stringData)$`, `secrets/.*\.yaml$`) are compiled
/// by `RE2Program` and run without ICU: compiling the first NSRegularExpression of a process
/// builds ICU's static Unicode sets, about 1.5 ms, which was the largest single cost of a
/// `decrypt`. RE2's own meanings are kept there (`$` is end of text only, `\d \w \s \b` are
/// ASCII). Syntax outside that subset (`\p{…}`, flags, `\Q…\E`, …) goes to NSRegularExpression
/// as before, which also reports invalid patterns.
struct GoRegex: @unchecked Sendable {
    private enum Engine {
        case program(RE2Program)
        // NSRegularExpression is immutable and documented thread-safe for matching.
        case foundation(NSRegularExpression)
    }

    private let engine: Engine
    let pattern: String

    init(_ pattern: String) throws(SopsError) {
        self.pattern = pattern
        if let program = RE2Program(pattern) {
            engine = .program(program)
            return
        }
        do {
            engine = .foundation(try NSRegularExpression(pattern: pattern))
        } catch {
            throw .invalidRegex(pattern, reason: "not a valid regular expression")
        }
    }

    /// Whether the compiled-program engine took the pattern (tests check the fallback).
    var usesProgram: Bool {
        if case .program = engine { return true }
        return false
    }

    func matches(_ text: String) -> Bool {
        switch engine {
        case let .program(program):
            return program.matches(text)
        case let .foundation(regex):
            let range = NSRange(text.startIndex..<text.endIndex, in: text)
            return regex.firstMatch(in: text, range: range) != nil
        }
    }
}
