import ChurnQuery

/// Hot-spot findings laid out for the terminal: the columns (cell, support, value, baseline,
/// versus, lift, impact with its bar, q) when they fit its width, or off a terminal; on a
/// terminal too narrow for them, each finding's reading alone, numbered and wrapped. The
/// caption (`9 of 12 significant cells (5,436 tested)`) heads both.
struct FindingsRenderer {
    var style: TerminalStyle
    /// The terminal's width; nil when the output is not a terminal.
    var width: Int?

    func render(_ result: QueryResult) -> String {
        guard case let .findings(layout) = result.presentation, result.columns.indices.contains(layout.readingColumn) else {
            return TableRenderer(style: style, truncates: false).render(result)
        }
        let columns = result.removingColumns([layout.readingColumn])
        let table = TableRenderer(style: .plain, truncates: false)
        guard let width, !result.rows.isEmpty else { return TableRenderer(style: style, truncates: false).render(columns) }
        let widest = table.render(columns).split(separator: "\n").map(\.count).max() ?? 0
        if widest <= width { return TableRenderer(style: style, truncates: false).render(columns) }
        return readings(result, column: layout.readingColumn, width: width)
    }

    /// `N. reading`, wrapped at spaces to `width` with the lines after the first indented under it.
    private func readings(_ result: QueryResult, column: Int, width: Int) -> String {
        var lines: [String] = result.text.map { [$0] } ?? []
        let numberWidth = String(result.rows.count).count
        for (index, row) in result.rows.enumerated() {
            guard case let .text(reading) = row[column] else { continue }
            let number = String(index + 1)
            let prefix = String(repeating: " ", count: numberWidth - number.count) + number + ". "
            lines += Self.wrap(reading, width: width, firstPrefix: prefix, indent: String(repeating: " ", count: prefix.count))
        }
        return lines.joined(separator: "\n")
    }

    /// Operators kept on one line with the words either side: `n = 12,349`, `q < 0.001`.
    static let binding: Set<String> = ["=", "<", ">", "<=", ">=", "<>", "!=", "×"]

    /// Words of `text` filled into lines of at most `width` characters (a longer word stands
    /// alone); a comparison is never split.
    static func wrap(_ text: String, width: Int, firstPrefix: String, indent: String) -> [String] {
        var words: [String] = []
        var glueNext = false
        for word in text.split(separator: " ", omittingEmptySubsequences: true).map(String.init) {
            if let last = words.last, glueNext || binding.contains(word) {
                words[words.count - 1] = last + " " + word
            } else {
                words.append(word)
            }
            glueNext = binding.contains(word)
        }
        var lines: [String] = []
        var line = firstPrefix
        var lineHasWord = false
        for word in words {
            if lineHasWord && line.count + 1 + word.count > width {
                lines.append(line)
                line = indent
                lineHasWord = false
            }
            line += (lineHasWord ? " " : "") + word
            lineHasWord = true
        }
        lines.append(line)
        return lines
    }
}
