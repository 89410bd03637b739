/// A command line that cannot be run as typed. Always exit status 2, with a one-line usage hint
/// naming the command whose help explains it.
enum UsageError: Error, CustomStringConvertible, Equatable {
    case unknownCommand(String, parent: String, suggestion: String?)
    case unknownFlag(String, suggestion: String?)
    case missingArgument(String)
    case missingValue(option: String)
    case unexpectedArgument(String)
    case missingSubcommand(parent: String, choices: [String])
    case invalidDuration(option: String, value: String)
    case invalidChoice(option: String, value: String, choices: [String])
    case invalidInteger(option: String, value: String)
    case flagTakesNoValue(option: String, value: String)
    case conflicting(String, String)

    var description: String {
        switch self {
        case .unknownCommand(let word, let parent, _):
            return "unknown command \"\(word)\" for \"\(parent)\""
        case .unknownFlag(let flag, _):
            return "unknown flag \(flag)"
        case .missingArgument(let name):
            return "missing argument \(name)"
        case .missingValue(let option):
            return "flag \(option) needs a value"
        case .unexpectedArgument(let word):
            return "unexpected argument \"\(word)\""
        case .missingSubcommand(let parent, let choices):
            return "missing command: \(parent) needs one of \(choices.joined(separator: ", "))"
        case .invalidDuration(let option, let value):
            return "invalid duration \"\(value)\" for \(option): \(GoDuration.formatHint)"
        case .invalidChoice(let option, let value, let choices):
            return "invalid value \"\(value)\" for \(option): choose one of \(choices.joined(separator: ", "))"
        case .invalidInteger(let option, let value):
            return "invalid value \"\(value)\" for \(option): expected a whole number"
        case .flagTakesNoValue(let option, let value):
            return "flag \(option) takes no value (got \"\(value)\"); use \(option) or \(option)=false"
        case .conflicting(let first, let second):
            return "\(first) and \(second) cannot be used together"
        }
    }

    /// The "did you mean" line, when a close match exists.
    var suggestion: String? {
        switch self {
        case .unknownCommand(_, _, let suggestion?): return "did you mean \"\(suggestion)\"?"
        case .unknownFlag(_, let suggestion?): return "did you mean \(suggestion)?"
        default: return nil
        }
    }
}

/// A usage error together with the command it happened in, for the usage hint.
struct UsageFailure: Error {
    var error: UsageError
    var path: CommandPath
}
