import ChurnQuery

/// One JSON object per statement result, on one line (JSON Lines), so the output of a script
/// reads as one document per statement: `statement` (its text), then `columns` (the keys, in
/// order) and `rows` (an object per row), or `text` for a statement that answers in prose.
/// A result's caption is its `note`. Numbers are numbers, NULL and rolled-up cells `null`, raw
/// values as in CSV.
enum JSONRenderer {
    static func render(_ result: QueryResult, statement: String? = nil) -> String {
        var members: [(key: String, value: String)] = []
        if let statement { members.append(("statement", string(statement))) }
        guard !result.columns.isEmpty else {
            members.append(("text", string(result.text ?? "")))
            return object(members)
        }
        if let note = result.text { members.append(("note", string(note))) }
        let keys = ColumnHeaders.of(result)
        members.append(("columns", "[" + keys.map(string).joined(separator: ",") + "]"))
        let rows = result.rows.map { row in object(zip(keys, row).map { ($0, value($1)) }) }
        members.append(("rows", "[" + rows.joined(separator: ",") + "]"))
        return object(members)
    }

    static func object(_ members: [(key: String, value: String)]) -> String {
        "{" + members.map { string($0.key) + ":" + $0.value }.joined(separator: ",") + "}"
    }

    static func value(_ value: ResultValue) -> String {
        switch value {
        case .null, .subtotal: return "null"
        case .boolean(let flag): return flag ? "true" : "false"
        case .text: return string(ValueText.raw(value))
        case .integer, .decimal: return ValueText.raw(value)
        case .double(let number): return number.isFinite ? ValueText.raw(value) : "null"
        }
    }

    static func string(_ text: String) -> String {
        var escaped = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": escaped += "\\\""
            case "\\": escaped += "\\\\"
            case "\n": escaped += "\\n"
            case "\r": escaped += "\\r"
            case "\t": escaped += "\\t"
            case let control where control.value < 0x20:
                let hex = String(control.value, radix: 16)
                escaped += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: escaped.unicodeScalars.append(scalar)
            }
        }
        return escaped + "\""
    }
}
