import ChurnQuery

/// One JSON object per statement result, on one line (JSON Lines), so the output of a script
/// reads as one document per statement: `statement` (its text), then `columns` (the keys, in
/// order) and `rows` (an object per row), or `text` for a statement that answers in prose.
/// A result's caption is its `note`, and its details (a hot-spot search's counts) are fields
/// beside it, with `units` naming what a column counts when its name does not; a finding's `cell` is an object of dimension to member. Numbers are numbers, NULL and rolled-up cells `null`, raw
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
        for detail in result.details { members.append((detail.name, value(detail.value))) }
        let keys = ColumnHeaders.of(result)
        let units = zip(keys, result.columns).compactMap { key, column in column.unit.map { (key, string($0)) } }
        if !units.isEmpty { members.append(("units", object(units))) }
        guard case let .findings(layout) = result.presentation else {
            members.append(("columns", "[" + keys.map(string).joined(separator: ",") + "]"))
            let rows = result.rows.map { row in object(zip(keys, row).map { ($0, value($1)) }) }
            members.append(("rows", "[" + rows.joined(separator: ",") + "]"))
            return object(members)
        }
        // A finding's cell is an object of dimension to member, holding only the dimensions the
        // cell fixes (a NULL member is null).
        let shown = result.columns.indices.filter { !layout.conditionColumns.contains($0) }
        members.append(("columns", "[" + shown.map { string(keys[$0]) }.joined(separator: ",") + "]"))
        let rows = result.rows.map { row in
            object(shown.map { index in
                guard index == layout.cellColumn else { return (keys[index], value(row[index])) }
                let conditions = layout.conditionColumns.filter { row[$0] != .subtotal }.map { (keys[$0], value(row[$0])) }
                return (keys[index], object(conditions))
            })
        }
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
