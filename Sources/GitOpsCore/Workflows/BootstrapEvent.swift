/// One progress line of a bootstrap, rendered by the CLI as flux does on stderr
/// (`► generating sync manifests`, `✔ committed sync manifests to "main" ("<sha>")`).
public enum BootstrapEvent: Sendable, Equatable {
    case action(String)
    case success(String)
    case waiting(String)
    case warning(String)
    /// A change in what a wait is waiting for; a status line that rewrites itself, not a log line.
    case progress(String)
}
