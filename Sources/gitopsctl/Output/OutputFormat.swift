/// The one output-format enum: every command that prints data takes `-o` with a subset of these
/// (declared through `Option.output([...])`) and prints through `render`.
enum OutputFormat: String, Sendable, CaseIterable {
    /// A flux-style table (list commands).
    case table
    /// The command's own human text (a tree, a version block).
    case text
    case json
    case yaml
    /// Graphviz, for dependency graphs.
    case dot
    /// Mermaid flowchart, for dependency graphs.
    case mermaid

    /// The bytes `value` prints as in this format; JSON and YAML end with a newline.
    func render(_ value: some Renderable, color: Bool) throws -> String {
        switch self {
        case .table, .text: return value.humanText(color: color)
        case .json: return JSONPrinter.print(value.document)
        case .yaml: return YAMLPrinter.print(value.document)
        case .dot, .mermaid:
            guard let text = value.text(for: self) else { throw UnsupportedFormat(format: self) }
            return text
        }
    }
}

/// A format a command declared but whose value cannot produce it: a bug, not a user error.
struct UnsupportedFormat: Error, CustomStringConvertible {
    var format: OutputFormat
    var description: String { "this command cannot print \(format.rawValue)" }
}

/// Anything a command prints as data. JSON and YAML come from `document` (declared key order),
/// the human form from `humanText`, graph formats from `text(for:)`.
protocol Renderable {
    var document: Document { get }
    func humanText(color: Bool) -> String
    func text(for format: OutputFormat) -> String?
}

extension Renderable {
    func text(for format: OutputFormat) -> String? { nil }
}

/// A value whose human form is a flux-style table.
protocol TableRenderable: Renderable {
    var table: Table { get }
}

extension TableRenderable {
    func humanText(color: Bool) -> String { table.render() }
}
