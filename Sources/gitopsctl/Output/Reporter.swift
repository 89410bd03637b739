/// Flux-style step lines on stderr (`► doing`, `✔ done`, `✗ failed`, `◎ waiting`, `⚠️ warning`),
/// one line each, one space after the symbol, as `flux` prints them. The symbol is coloured when
/// stderr is a terminal and colour is allowed.
struct Reporter: Sendable {
    var stream: StandardStream = .standardError
    var color: Bool
    var verbose: Bool = false

    enum Step: Sendable {
        case action, success, failure, waiting, warning, generate

        var symbol: String {
            switch self {
            case .action: return "►"
            case .success: return "✔"
            case .failure: return "✗"
            case .waiting: return "◎"
            case .warning: return "⚠️"
            case .generate: return "✚"
            }
        }

        var style: Style {
            switch self {
            case .action: return .blue
            case .success: return .green
            case .failure: return .red
            case .waiting: return .cyan
            case .warning: return .yellow
            case .generate: return .green
            }
        }
    }

    func report(_ step: Step, _ message: String) {
        stream.write("\(step.style.apply(step.symbol, enabled: color)) \(message)\n")
    }

    func action(_ message: String) { report(.action, message) }
    func success(_ message: String) { report(.success, message) }
    func failure(_ message: String) { report(.failure, message) }
    func waiting(_ message: String) { report(.waiting, message) }
    func warning(_ message: String) { report(.warning, message) }

    /// A detail line shown only with `--verbose`.
    func detail(_ message: String) {
        guard verbose else { return }
        stream.write("  \(message)\n")
    }

    /// A plain line on stderr (hints under an error, usage lines).
    func note(_ message: String) {
        stream.write("\(message)\n")
    }
}

/// A one-line status on stderr that rewrites itself while something waits
/// (`◎ waiting for Kustomization reconciliation (12s)`). Only drawn when stderr is a terminal,
/// so logs and pipes never see carriage returns.
struct ProgressLine: Sendable {
    var stream: StandardStream = .standardError
    var enabled: Bool

    func update(_ message: String) {
        guard enabled else { return }
        stream.write("\r\u{1B}[2K◎ \(message)")
    }

    /// Removes the line, leaving the cursor at the start of an empty line.
    func clear() {
        guard enabled else { return }
        stream.write("\r\u{1B}[2K")
    }
}
