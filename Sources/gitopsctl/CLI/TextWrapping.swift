extension String {
    /// The text broken at spaces into lines of at most `width` characters (a longer word keeps
    /// its own line). Existing line breaks are kept.
    func wrapped(width: Int, indent: String = "") -> String {
        split(separator: "\n", omittingEmptySubsequences: false).map { line -> String in
            var lines: [String] = []
            var current = ""
            for word in line.split(separator: " ") {
                if !current.isEmpty, current.count + 1 + word.count > width - indent.count {
                    lines.append(current)
                    current = ""
                }
                current += current.isEmpty ? String(word) : " " + word
            }
            lines.append(current)
            return lines.map { indent + $0 }.joined(separator: "\n")
        }.joined(separator: "\n")
    }
}
