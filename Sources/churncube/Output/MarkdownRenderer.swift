import ChurnQuery

/// A GitHub-flavoured Markdown table with formatted values, numbers aligned right; a result's
/// caption is a paragraph before it.
enum MarkdownRenderer {
    static func render(_ result: QueryResult) -> String {
        guard !result.columns.isEmpty else { return result.text ?? "" }
        let numeric = result.columns.indices.map { index in
            ValueText.isNumeric(result.columns[index], values: result.rows.map { $0[index] })
        }
        func line(_ cells: [String]) -> String {
            "| " + cells.map { $0.replacingOccurrences(of: "|", with: "\\|") }.joined(separator: " | ") + " |"
        }
        var lines = [line(ColumnHeaders.forPeople(result))]
        lines.append("|" + numeric.map { $0 ? "---:|" : "---|" }.joined())
        for row in result.rows {
            lines.append(line(result.columns.indices.map { ValueText.display(row[$0], format: result.columns[$0].format) }))
        }
        let table = lines.joined(separator: "\n")
        return result.text.map { $0.replacingOccurrences(of: "\n", with: "  \n") + "\n\n" + table } ?? table
    }
}
