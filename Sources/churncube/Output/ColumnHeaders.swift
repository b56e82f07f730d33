import ChurnQuery

/// Column headers made unique as DuckDB makes them when a result becomes a table: a name seen
/// before (ignoring case) gets `_1`, `_2`, ... appended, skipping suffixes already taken, so
/// `SELECT COUNT(*), COUNT(*)` is headed `COUNT(*)`, `COUNT(*)_1` and JSON keys never repeat.
enum ColumnHeaders {
    static func unique(_ names: [String]) -> [String] {
        var uses: [String: Int] = [:]
        return names.map { name in
            let key = name.lowercased()
            guard let used = uses[key] else {
                uses[key] = 1
                return name
            }
            var suffix = used
            while uses[(name + "_\(suffix)").lowercased()] != nil { suffix += 1 }
            uses[key] = suffix + 1
            let renamed = name + "_\(suffix)"
            uses[renamed.lowercased()] = 1
            return renamed
        }
    }

    static func of(_ result: QueryResult) -> [String] {
        unique(result.columns.map(\.name))
    }

    /// The headers people read: a column's unit follows its name, `impact (churned accounts)`.
    static func forPeople(_ result: QueryResult) -> [String] {
        zip(of(result), result.columns).map { name, column in column.unit.map { "\(name) (\($0))" } ?? name }
    }
}
