extension String {
    /// How line length is counted: characters for a terminal, bytes for roff input lines.
    enum LineMeasure {
        case characters
        case utf8Bytes

        func length(of text: some StringProtocol) -> Int {
            switch self {
            case .characters: return text.count
            case .utf8Bytes: return text.utf8.count
            }
        }
    }

    /// The text broken at spaces into lines of at most `width` (a longer word keeps its own
    /// line). Existing line breaks are kept.
    func wrapped(width: Int, measure: LineMeasure = .characters) -> String {
        split(separator: "\n", omittingEmptySubsequences: false).map { line -> String in
            var lines: [String] = []
            var current = ""
            for word in line.split(separator: " ") {
                if !current.isEmpty, measure.length(of: current) + 1 + measure.length(of: word) > width {
                    lines.append(current)
                    current = ""
                }
                current += current.isEmpty ? String(word) : " " + word
            }
            lines.append(current)
            return lines.joined(separator: "\n")
        }.joined(separator: "\n")
    }
}
