/// A borderless table laid out like `flux get` (tablewriter): each column as wide as its widest
/// cell or upper-cased header, header cells joined by tabs and the last one followed by a single
/// space, every data cell followed by a tab (so data lines end in `\t`).
struct Table: Sendable, Equatable {
    var header: [String]
    var rows: [[String]]
    var showsHeader: Bool = true

    func render() -> String {
        let header = self.header.map { $0.uppercased() }
        // Without a header (--no-header) only the cells decide the widths, as in tablewriter.
        var widths = header.map { showsHeader ? $0.count : 0 }
        for row in rows {
            for (column, cell) in row.enumerated() where column < widths.count {
                widths[column] = max(widths[column], cell.count)
            }
        }
        func pad(_ text: String, _ column: Int) -> String {
            text + String(repeating: " ", count: max(0, widths[column] - text.count))
        }
        var text = ""
        if showsHeader {
            text += header.enumerated().map { pad($0.element, $0.offset) }.joined(separator: "\t") + " \n"
        }
        for row in rows {
            for column in widths.indices {
                text += pad(column < row.count ? row[column] : "", column) + "\t"
            }
            text += "\n"
        }
        return text
    }
}
