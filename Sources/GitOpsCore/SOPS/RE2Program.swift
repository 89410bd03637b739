/// A compiled RE2 pattern for the common subset of Go's syntax, run as a Thompson NFA
/// (linear in the text, no backtracking) with `regexp.MatchString` search semantics.
///
/// Go compiles with `syntax.Perl`: `^`/`$` are the start and end of the text (no multi-line),
/// `.` is any character but `\n`, a negated class does match `\n`, and `\d \w \s \b` are ASCII
/// (`\s` is `[\t\n\f\r ]`). Returns nil for syntax it does not take (flags, `\p`, `\Q`, POSIX
/// classes, octal escapes, invalid patterns) so the caller can fall back.
struct RE2Program: Sendable {
    fileprivate let instructions: [RE2Instruction]

    init?(_ pattern: String) {
        var parser = RE2Parser(Array(pattern.unicodeScalars))
        guard let node = parser.parseWhole() else { return nil }
        var compiler = RE2Compiler()
        guard compiler.emit(node) else { return nil }
        compiler.append(.match)
        instructions = compiler.program
    }

    /// Whether the pattern matches anywhere in `text`.
    func matches(_ text: String) -> Bool {
        let scalars = Array(text.unicodeScalars)
        var run = RE2Run(instructions: instructions, scalars: scalars)
        return run.search()
    }
}

// MARK: Syntax

/// Zero-width conditions RE2 knows without flags.
enum RE2Assertion: Sendable {
    case textStart, textEnd, wordBoundary, notWordBoundary
}

/// An inclusive range of scalar values. Not ClosedRange<UInt32>: each generic instantiation
/// costs the runtime a scan of every protocol conformance in the binary at first use.
struct RE2Range: Sendable {
    var low: UInt32
    var high: UInt32

    init(_ low: UInt32, _ high: UInt32) {
        self.low = low
        self.high = high
    }
}

/// A set of scalars as inclusive ranges, possibly negated.
struct RE2ScalarSet: Sendable {
    var ranges: [RE2Range]
    var negated: Bool

    func contains(_ scalar: Unicode.Scalar) -> Bool {
        let value = scalar.value
        let inside = ranges.contains { $0.low <= value && value <= $0.high }
        return inside != negated
    }

    static let digit = RE2ScalarSet(ranges: [RE2Range(0x30, 0x39)], negated: false)
    static let word = RE2ScalarSet(ranges: [RE2Range(0x30, 0x39), RE2Range(0x41, 0x5A), RE2Range(0x5F, 0x5F), RE2Range(0x61, 0x7A)],
                                   negated: false)
    // Go's \s is [\t\n\f\r ] (no \v).
    static let space = RE2ScalarSet(ranges: [RE2Range(0x09, 0x0A), RE2Range(0x0C, 0x0D), RE2Range(0x20, 0x20)], negated: false)
}

indirect enum RE2Node: Sendable {
    case empty
    case scalars(RE2ScalarSet)
    case anyButNewline
    case assertion(RE2Assertion)
    case concatenation([RE2Node])
    case alternation([RE2Node])
    case repetition(RE2Node, min: Int, max: Int?)
}

/// Recursive descent over the pattern's scalars; nil on anything outside the subset.
private struct RE2Parser {
    private let pattern: [Unicode.Scalar]
    private var position = 0
    private var depth = 0
    // RE2 refuses repeat counts above 1000.
    private static let maxRepeat = 1000

    init(_ pattern: [Unicode.Scalar]) {
        self.pattern = pattern
    }

    mutating func parseWhole() -> RE2Node? {
        guard let node = parseAlternation(), position == pattern.count else { return nil }
        return node
    }

    private var current: Unicode.Scalar? { position < pattern.count ? pattern[position] : nil }

    private mutating func parseAlternation() -> RE2Node? {
        var branches: [RE2Node] = []
        while true {
            guard let branch = parseConcatenation() else { return nil }
            branches.append(branch)
            guard current == "|" else { break }
            position += 1
        }
        return branches.count == 1 ? branches[0] : .alternation(branches)
    }

    private mutating func parseConcatenation() -> RE2Node? {
        var items: [RE2Node] = []
        while let scalar = current, scalar != "|", scalar != ")" {
            guard let atom = parseAtom(), let repeated = parseQuantifiers(atom) else { return nil }
            items.append(repeated)
        }
        switch items.count {
        case 0: return .empty
        case 1: return items[0]
        default: return .concatenation(items)
        }
    }

    private mutating func parseQuantifiers(_ atom: RE2Node) -> RE2Node? {
        guard let scalar = current else { return atom }
        var bounds: (min: Int, max: Int?)
        switch scalar {
        case "*": bounds = (0, nil); position += 1
        case "+": bounds = (1, nil); position += 1
        case "?": bounds = (0, 1); position += 1
        case "{":
            guard let counted = parseCount() else { return atom }
            bounds = counted
        default: return atom
        }
        if current == "?" { position += 1 }  // lazy: the same answer for a yes/no match
        // Go rejects a second repetition operator (`a**`); leave that to the fallback.
        if let next = current, next == "*" || next == "+" || next == "?" || (next == "{" && peekCount()) { return nil }
        if let max = bounds.max, max < bounds.min { return nil }
        return .repetition(atom, min: bounds.min, max: bounds.max)
    }

    private func peekCount() -> Bool {
        var copy = self
        return copy.parseCount() != nil
    }

    /// `{n}`, `{n,}` or `{n,m}`; anything else leaves `{` a literal, as in Go.
    private mutating func parseCount() -> (min: Int, max: Int?)? {
        let start = position
        position += 1
        guard let low = parseNumber() else { position = start; return nil }
        var high: Int? = low
        if current == "," {
            position += 1
            high = current == "}" ? nil : parseNumber()
            if high == nil && current != "}" { position = start; return nil }
        }
        guard current == "}" else { position = start; return nil }
        position += 1
        guard low <= Self.maxRepeat, (high ?? 0) <= Self.maxRepeat else { position = start; return nil }
        return (low, high)
    }

    private mutating func parseNumber() -> Int? {
        var value = 0, digits = 0
        while let scalar = current, Self.isDigit(scalar) {
            value = value * 10 + Int(scalar.value - 0x30)
            digits += 1
            position += 1
            if value > 100_000 { return nil }
        }
        return digits == 0 ? nil : value
    }

    private mutating func parseAtom() -> RE2Node? {
        guard let scalar = current else { return nil }
        position += 1
        switch scalar {
        case "(":
            if current == "?" {
                // Only non-capturing and named groups; flags go to the fallback.
                position += 1
                if current == ":" {
                    position += 1
                } else if current == "P" || current == "<" {
                    if current == "P" { position += 1 }
                    guard current == "<" else { return nil }
                    while let c = current, c != ">" { position += 1 }
                    guard current == ">" else { return nil }
                    position += 1
                } else {
                    return nil
                }
            }
            depth += 1
            guard depth <= 100, let inner = parseAlternation(), current == ")" else { return nil }
            depth -= 1
            position += 1
            return inner
        case "[": return parseClass()
        case ".": return .anyButNewline
        case "^": return .assertion(.textStart)
        case "$": return .assertion(.textEnd)
        case "\\": return parseEscape(inClass: false).flatMap(Self.node)
        case "*", "+", "?", ")": return nil
        case "{":
            position -= 1
            if peekCount() { return nil }
            position += 1
            return .scalars(Self.single(scalar))
        default: return .scalars(Self.single(scalar))
        }
    }

    private enum Escape {
        case scalar(Unicode.Scalar)
        case set(RE2ScalarSet)
        case assertion(RE2Assertion)
    }

    private static func node(_ escape: Escape) -> RE2Node {
        switch escape {
        case let .scalar(s): .scalars(single(s))
        case let .set(set): .scalars(set)
        case let .assertion(a): .assertion(a)
        }
    }

    private static func isDigit(_ scalar: Unicode.Scalar) -> Bool {
        scalar.value >= 0x30 && scalar.value <= 0x39
    }

    private static func isAlphanumeric(_ scalar: Unicode.Scalar) -> Bool {
        let lower = scalar.value | 0x20
        return isDigit(scalar) || (lower >= 0x61 && lower <= 0x7A)
    }

    private static func single(_ scalar: Unicode.Scalar) -> RE2ScalarSet {
        RE2ScalarSet(ranges: [RE2Range(scalar.value, scalar.value)], negated: false)
    }

    /// After a backslash.
    private mutating func parseEscape(inClass: Bool) -> Escape? {
        guard let scalar = current else { return nil }
        position += 1
        switch scalar {
        case "a": return .scalar("\u{07}")
        case "f": return .scalar("\u{0C}")
        case "t": return .scalar("\t")
        case "n": return .scalar("\n")
        case "r": return .scalar("\r")
        case "v": return .scalar("\u{0B}")
        case "d": return .set(.digit)
        case "w": return .set(.word)
        case "s": return .set(.space)
        case "D": return .set(RE2ScalarSet(ranges: RE2ScalarSet.digit.ranges, negated: true))
        case "W": return .set(RE2ScalarSet(ranges: RE2ScalarSet.word.ranges, negated: true))
        case "S": return .set(RE2ScalarSet(ranges: RE2ScalarSet.space.ranges, negated: true))
        case "b" where !inClass: return .assertion(.wordBoundary)
        case "B" where !inClass: return .assertion(.notWordBoundary)
        case "A" where !inClass: return .assertion(.textStart)
        case "z" where !inClass: return .assertion(.textEnd)
        case "x": return parseHex().map(Escape.scalar)
        default:
            // Go lets any ASCII character but a letter or digit be escaped to itself; other
            // letters and digits (octal, \p, \Q, \C, …) are left to the fallback.
            guard scalar.isASCII, !Self.isAlphanumeric(scalar) else { return nil }
            return .scalar(scalar)
        }
    }

    private mutating func parseHex() -> Unicode.Scalar? {
        var digits = ""
        if current == "{" {
            position += 1
            while let c = current, c != "}" { digits.unicodeScalars.append(c); position += 1 }
            guard current == "}" else { return nil }
            position += 1
        } else {
            for _ in 0..<2 {
                guard let c = current else { return nil }
                digits.unicodeScalars.append(c)
                position += 1
            }
        }
        guard !digits.isEmpty, digits.count <= 8, let value = UInt32(digits, radix: 16) else { return nil }
        return Unicode.Scalar(value)
    }

    /// After `[`: ranges, escapes and literals up to `]`; `]` first and `-` at either end are literal.
    private mutating func parseClass() -> RE2Node? {
        var negated = false
        if current == "^" { negated = true; position += 1 }
        var ranges: [RE2Range] = []
        var first = true
        while let scalar = current, scalar != "]" || first {
            first = false
            if scalar == "[" && position + 1 < pattern.count && pattern[position + 1] == ":" { return nil }
            guard let low = parseClassItem() else { return nil }
            switch low {
            case let .set(set):
                guard !set.negated else { return nil }
                ranges += set.ranges
            case let .scalar(lowScalar):
                if current == "-", position + 1 < pattern.count, pattern[position + 1] != "]" {
                    position += 1
                    guard case let .scalar(highScalar)? = parseClassItem(), highScalar.value >= lowScalar.value else { return nil }
                    ranges.append(RE2Range(lowScalar.value, highScalar.value))
                } else {
                    ranges.append(RE2Range(lowScalar.value, lowScalar.value))
                }
            case .assertion:
                return nil
            }
        }
        guard current == "]", !ranges.isEmpty else { return nil }
        position += 1
        return .scalars(RE2ScalarSet(ranges: ranges, negated: negated))
    }

    private mutating func parseClassItem() -> Escape? {
        guard let scalar = current else { return nil }
        position += 1
        return scalar == "\\" ? parseEscape(inClass: true) : .scalar(scalar)
    }
}

// MARK: Program

fileprivate enum RE2Instruction: Sendable {
    case scalars(RE2ScalarSet)
    case anyButNewline
    case assertion(RE2Assertion)
    case split(Int, Int)
    case jump(Int)
    case match
}

private struct RE2Compiler {
    var program: [RE2Instruction] = []
    // Bounds the expansion of counted repeats such as (a{1000}){1000}.
    private static let maxInstructions = 20_000

    mutating func append(_ instruction: RE2Instruction) {
        program.append(instruction)
    }

    mutating func emit(_ node: RE2Node) -> Bool {
        guard program.count < Self.maxInstructions else { return false }
        switch node {
        case .empty:
            return true
        case let .scalars(set):
            append(.scalars(set))
        case .anyButNewline:
            append(.anyButNewline)
        case let .assertion(kind):
            append(.assertion(kind))
        case let .concatenation(items):
            for item in items { guard emit(item) else { return false } }
        case let .alternation(branches):
            var jumpsToEnd: [Int] = []
            for (index, branch) in branches.enumerated() {
                if index < branches.count - 1 {
                    let split = program.count
                    append(.split(split + 1, -1))
                    guard emit(branch) else { return false }
                    jumpsToEnd.append(program.count)
                    append(.jump(-1))
                    program[split] = .split(split + 1, program.count)
                } else {
                    guard emit(branch) else { return false }
                }
            }
            for jump in jumpsToEnd { program[jump] = .jump(program.count) }
        case let .repetition(inner, min, max):
            for _ in 0..<min { guard emit(inner) else { return false } }
            if let max {
                var splits: [Int] = []
                for _ in min..<max {
                    splits.append(program.count)
                    append(.split(program.count + 1, -1))
                    guard emit(inner) else { return false }
                }
                for split in splits { program[split] = .split(split + 1, program.count) }
            } else {
                let loop = program.count
                append(.split(loop + 1, -1))
                guard emit(inner) else { return false }
                append(.jump(loop))
                program[loop] = .split(loop + 1, program.count)
            }
        }
        return program.count < Self.maxInstructions
    }
}

/// One search: the set of live instructions advanced one scalar at a time (Pike's VM without
/// captures), each instruction at most once per position.
private struct RE2Run {
    let instructions: [RE2Instruction]
    let scalars: [Unicode.Scalar]
    private var mark: [Int]
    private var generation = 0
    private var matched = false
    private var stack: [Int] = []

    init(instructions: [RE2Instruction], scalars: [Unicode.Scalar]) {
        self.instructions = instructions
        self.scalars = scalars
        mark = Array(repeating: -1, count: instructions.count)
    }

    mutating func search() -> Bool {
        var live: [Int] = []
        generation = 0
        add(0, at: 0, to: &live)
        var position = 0
        while !matched && position < scalars.count {
            let scalar = scalars[position]
            generation += 1
            var next: [Int] = []
            for pc in live {
                let consumes: Bool
                switch instructions[pc] {
                case let .scalars(set): consumes = set.contains(scalar)
                case .anyButNewline: consumes = scalar != "\n"
                default: consumes = false
                }
                if consumes { add(pc + 1, at: position + 1, to: &next) }
            }
            // Search semantics: a match may start at any position.
            add(0, at: position + 1, to: &next)
            live = next
            position += 1
        }
        return matched
    }

    /// Follows jumps, splits and assertions from `pc` at `position`, collecting the
    /// instructions that consume a scalar.
    private mutating func add(_ pc: Int, at position: Int, to list: inout [Int]) {
        stack.append(pc)
        while let pc = stack.popLast() {
            guard mark[pc] != generation else { continue }
            mark[pc] = generation
            switch instructions[pc] {
            case let .jump(target):
                stack.append(target)
            case let .split(first, second):
                stack.append(second)
                stack.append(first)
            case let .assertion(kind):
                if holds(kind, at: position) { stack.append(pc + 1) }
            case .match:
                matched = true
            case .scalars, .anyButNewline:
                list.append(pc)
            }
        }
    }

    private func holds(_ kind: RE2Assertion, at position: Int) -> Bool {
        switch kind {
        case .textStart: return position == 0
        case .textEnd: return position == scalars.count
        case .wordBoundary: return isWord(position - 1) != isWord(position)
        case .notWordBoundary: return isWord(position - 1) == isWord(position)
        }
    }

    private func isWord(_ index: Int) -> Bool {
        guard index >= 0, index < scalars.count else { return false }
        return RE2ScalarSet.word.contains(scalars[index])
    }
}
