/// What kind of value an option or positional argument takes. Drives parsing (durations and
/// choices are checked as they are read), help (`--timeout DURATION`) and completion (files,
/// directories, choices, resource names).
enum ValueKind: Sendable, Equatable {
    case string
    case integer
    case file
    case directory
    /// `30s`, `5m`, `1h30m`: Go's `time.ParseDuration` syntax, as flux and kubectl take it.
    case duration
    case choice([String])
    /// A Kubernetes object name of one kind; completed by a `CompletionProvider`.
    case resource(ResourceKind)

    /// The placeholder help and man pages show for a value of this kind.
    var placeholder: String {
        switch self {
        case .string: return "VALUE"
        case .integer: return "N"
        case .file: return "FILE"
        case .directory: return "DIR"
        case .duration: return "DURATION"
        case .choice(let choices):
            let listed = choices.joined(separator: "|")
            return listed.count <= 24 ? listed : "CHOICE"
        case .resource(let kind): return kind.placeholder
        }
    }
}

/// Object kinds whose names complete dynamically.
enum ResourceKind: String, Sendable, CaseIterable {
    case kustomization
    case helmRelease
    case gitRepository
    case tenant
    case namespace
    case context

    var placeholder: String {
        switch self {
        case .namespace: return "NAMESPACE"
        case .context: return "CONTEXT"
        default: return "NAME"
        }
    }
}

/// One `--long`/`-s` option. A flag takes no value (but accepts `--flag=false`); any other option
/// takes one value of `kind`.
struct Option: Sendable {
    enum Arity: Sendable, Equatable {
        case flag
        case value(ValueKind)
    }

    var long: String
    var short: Character?
    var arity: Arity
    var abstract: String
    /// Shown in help as `(default "…")`; returned by the typed accessors when the option is absent.
    var defaultValue: String?
    /// The option may be given several times; every value is kept.
    var repeatable: Bool
    /// Each value is a comma-separated list (`--age R1,R2`).
    var commaList: Bool
    var hidden: Bool
    /// Overrides the kind's placeholder in help (`--owner KIND:NAME`).
    var valueName: String?

    static func flag(_ long: String, short: Character? = nil, _ abstract: String,
                     hidden: Bool = false) -> Option {
        Option(long: long, short: short, arity: .flag, abstract: abstract, defaultValue: nil,
               repeatable: false, commaList: false, hidden: hidden, valueName: nil)
    }

    static func value(_ long: String, short: Character? = nil, _ kind: ValueKind, _ abstract: String,
                      default defaultValue: String? = nil, repeatable: Bool = false,
                      commaList: Bool = false, valueName: String? = nil, hidden: Bool = false) -> Option {
        Option(long: long, short: short, arity: .value(kind), abstract: abstract,
               defaultValue: defaultValue, repeatable: repeatable, commaList: commaList,
               hidden: hidden, valueName: valueName)
    }

    var takesValue: Bool { arity != .flag }

    /// `--namespace`, as messages name the option.
    var displayName: String { "--\(long)" }

    var kind: ValueKind? {
        if case .value(let kind) = arity { return kind }
        return nil
    }

    /// `VALUE` as help shows it, `R1,R2…` style for comma lists.
    var placeholder: String? {
        guard let kind else { return nil }
        let name = valueName ?? kind.placeholder
        return commaList ? "\(name)[,\(name)…]" : name
    }

    /// The same option with another default (`--wait` defaults to on for `resume`).
    func defaulting(to value: String) -> Option {
        var option = self
        option.defaultValue = value
        return option
    }

    /// `-n, --namespace NAMESPACE` as help and man pages show it.
    var synopsis: String {
        var text = short.map { "-\($0), " } ?? ""
        text += "--\(long)"
        if let placeholder { text += " \(placeholder)" }
        return text
    }
}

/// One positional argument. `variadic` takes the rest (`FILE…`); optional ones must come last.
struct Positional: Sendable {
    var name: String
    var kind: ValueKind
    var abstract: String
    var optional: Bool = false
    var variadic: Bool = false

    /// `NAME`, `[IN]`, `FILE…` as usage lines show it.
    var synopsis: String {
        let base = variadic ? "\(name)…" : name
        return optional ? "[\(base)]" : base
    }
}
