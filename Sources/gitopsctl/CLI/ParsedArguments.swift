/// The arguments of one invocation after parsing, with typed accessors. Options are looked up by
/// their long name; values were already checked against their kind by the parser.
struct ParsedArguments: Sendable {
    /// Values in the order given, per long option name. A flag given as `--x` is stored as "true".
    var values: [String: [String]] = [:]
    var positionals: [String] = []
    /// Declared options, for defaults.
    var declared: [String: Option] = [:]

    /// Whether a flag is on (`--in-place`, `--wait=false` turns one off).
    func flag(_ long: String) -> Bool {
        guard let last = values[long]?.last ?? declared[long]?.defaultValue else { return false }
        return last == "true"
    }

    /// Whether the option appeared on the command line at all.
    func isSet(_ long: String) -> Bool { values[long] != nil }

    /// The last value given, else the declared default.
    func string(_ long: String) -> String? {
        values[long]?.last ?? declared[long]?.defaultValue
    }

    /// Every value given (repeatable options), comma lists split, or the default.
    func strings(_ long: String) -> [String] {
        let given = values[long] ?? declared[long]?.defaultValue.map { [$0] } ?? []
        guard declared[long]?.commaList == true else { return given }
        return given.flatMap { $0.split(separator: ",").map { String($0) } }.filter { !$0.isEmpty }
    }

    func integer(_ long: String) -> Int? {
        string(long).flatMap { Int($0) }
    }

    /// The option's duration; parsed (and validated) once already by the parser.
    func duration(_ long: String) -> Duration? {
        string(long).flatMap { try? GoDuration.parse($0) }
    }

    /// The positional at `index`, if given.
    func positional(_ index: Int) -> String? {
        positionals.indices.contains(index) ? positionals[index] : nil
    }
}
