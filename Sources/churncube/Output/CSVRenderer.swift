import ChurnQuery

/// RFC 4180 CSV with raw values: a header line, then one line per row. A row of one empty
/// field is written `""`, since an empty line would read as no field at all: an empty line
/// only ever separates the results of two statements. A statement that answers in prose
/// (EXPLAIN, SAVE) is a table of one column, `text`, a record per line.
enum CSVRenderer {
    static func render(_ result: QueryResult) -> String {
        guard !result.columns.isEmpty else {
            let lines = (result.text ?? "").split(separator: "\n", omittingEmptySubsequences: false)
            return (["text"] + lines.map { $0.isEmpty ? "\"\"" : field(String($0)) }).joined(separator: "\n")
        }
        var lines = [ColumnHeaders.of(result).map(field).joined(separator: ",")]
        for row in result.rows {
            let line = row.map { field(ValueText.raw($0)) }.joined(separator: ",")
            lines.append(line.isEmpty && row.count == 1 ? "\"\"" : line)
        }
        return lines.joined(separator: "\n")
    }

    /// A field, quoted when it holds a comma, a quote or a line break; quotes doubled.
    static func field(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return text }
        return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
