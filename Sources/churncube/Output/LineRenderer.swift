import ChurnQuery

/// One `column = value` line per column, names aligned, a blank line between rows and after the
/// result's caption; formatted values.
enum LineRenderer {
    static func render(_ result: QueryResult) -> String {
        guard !result.columns.isEmpty else { return result.text ?? "" }
        let names = ColumnHeaders.forPeople(result)
        let width = names.map(\.count).max() ?? 0
        let records = result.rows.map { row in
            result.columns.indices.map { index in
                let name = names[index]
                return String(repeating: " ", count: width - name.count) + name + " = "
                    + ValueText.display(row[index], format: result.columns[index].format)
            }.joined(separator: "\n")
        }
        return ((result.text.map { [$0] } ?? []) + records).joined(separator: "\n\n")
    }
}
