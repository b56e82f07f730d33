import ChurnQuery

/// A JSON array of objects, one per row, keys in column order: numbers as numbers, NULL as null,
/// raw values as in CSV.
enum JSONRenderer {
    static func render(_ result: QueryResult) -> String {
        guard !result.columns.isEmpty else {
            return result.text.map { "{\"text\":\(string($0))}" } ?? "[]"
        }
        guard !result.rows.isEmpty else { return "[]" }
        let keys = ColumnHeaders.of(result).map(string)
        let objects = result.rows.map { row in
            "{" + zip(keys, row).map { "\($0):\(value($1))" }.joined(separator: ",") + "}"
        }
        return "[\n" + objects.joined(separator: ",\n") + "\n]"
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
