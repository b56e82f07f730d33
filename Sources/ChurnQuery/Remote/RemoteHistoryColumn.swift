import ChurnStorage

/// A history call's column on a remote engine: a window over the account's rows ordered by
/// month, computed over the whole table before any filter, with the values
/// `HistoryColumnBuilder` gives in memory.
struct RemoteHistoryColumn: Sendable {
    let call: HistoryCall
    /// Stored columns (the typed projection's `d<i>` and `f<i>`).
    let accountColumn: Int
    let monthColumn: Int
    let sourceColumn: Int
    let sourceType: ColumnType

    /// The column's value per row: NULL without an account or a month.
    /// - previous(x, n): x of the account's one row n months before; NULL when it has none or
    ///   several there, or x is NULL in it.
    /// - avg_previous(x, n): the mean of the non-NULL x of its rows 1 to n months before, as
    ///   Σ units / rows / 10^scale in floating point, the order in which memory computes it.
    func sql(_ dialect: SQLDialect) -> String {
        let account = SQLExpressionWriter.dimensionAlias(accountColumn), source = SQLExpressionWriter.factAlias(sourceColumn)
        let month = monthIndex(dialect)
        let value = "CASE WHEN \(month) IS NOT NULL THEN \(source) END"
        let frame = call.function == .previous
            ? "RANGE BETWEEN \(call.months) PRECEDING AND \(call.months) PRECEDING"
            : "RANGE BETWEEN \(call.months) PRECEDING AND 1 PRECEDING"
        let window = "OVER (PARTITION BY \(account) ORDER BY \(month) \(frame))"
        let known = "\(account) IS NOT NULL AND \(month) IS NOT NULL"
        switch call.function {
        case .previous:
            return "(CASE WHEN \(known) AND \(rowsLookedAt(dialect)) = 1 THEN max(\(value)) \(window) END)"
        case .averagePrevious:
            let rows = "CAST(count(\(value)) \(window) AS DOUBLE)"
            let mean: String
            switch sourceType {
            case .double:
                mean = "sum(\(value)) \(window) / \(rows)"
            case let .decimal(scale):
                let power = "1" + String(repeating: "0", count: scale)
                mean = "CAST(sum(CAST(\(value) * \(power)BD AS DECIMAL(38, 0))) \(window) AS DOUBLE) / \(rows) / \(power).0D"
            case .integer, .dimension:
                mean = "CAST(sum(CAST(\(value) AS DECIMAL(38, 0))) \(window) AS DOUBLE) / \(rows)"
            }
            return "(CASE WHEN \(known) AND count(\(value)) \(window) > 0 THEN \(mean) END)"
        }
    }

    /// The account's rows in the month `previous` looks at.
    private func rowsLookedAt(_ dialect: SQLDialect) -> String {
        let account = SQLExpressionWriter.dimensionAlias(accountColumn), month = monthIndex(dialect)
        return "count(CASE WHEN \(month) IS NOT NULL THEN 1 END) OVER (PARTITION BY \(account) ORDER BY \(month) "
            + "RANGE BETWEEN \(call.months) PRECEDING AND \(call.months) PRECEDING)"
    }

    /// Per column, the account-months where `previous` finds several rows in the month it looks
    /// at (and so is NULL), as `HistoryColumnBuilder` counts them: in `onlyMonth` when given;
    /// 0 for `avg_previous`. One statement for all of them; none without a `previous`.
    static func ambiguousRows(_ columns: [RemoteHistoryColumn], on connection: any SQLConnection, catalog: CubeCatalog,
                              onlyMonth: Int?, cancellation: Cancellation) throws -> [Int] {
        let looking = columns.indices.filter { columns[$0].call.function == .previous }
        guard let first = looking.first.map({ columns[$0] }) else { return columns.map { _ in 0 } }
        let dialect = connection.dialect, store = catalog.cube.store
        let account = SQLExpressionWriter.dimensionAlias(first.accountColumn), monthAlias = SQLExpressionWriter.dimensionAlias(first.monthColumn)
        let month = first.monthIndex(dialect)
        let typed = "SELECT CAST(\(dialect.identifier(store.columns[first.accountColumn].name)) AS STRING) AS \(account), "
            + "CAST(\(dialect.identifier(store.columns[first.monthColumn].name)) AS STRING) AS \(monthAlias) FROM \(dialect.tableName(connection.table))"
        let counts = looking.map { "CASE WHEN \(account) IS NOT NULL AND \(month) IS NOT NULL THEN \(columns[$0].rowsLookedAt(dialect)) END AS c\($0)" }
        var sql = "SELECT " + looking.map { "sum(CASE WHEN c\($0) > 1 THEN 1 ELSE 0 END) AS s\($0)" }.joined(separator: ", ")
            + "\nFROM (SELECT \(month) AS mi, " + counts.joined(separator: ", ") + "\n  FROM (" + typed + ") AS raw) AS looked"
        if let onlyMonth { sql += "\nWHERE mi = \(onlyMonth)" }
        let stream = try connection.run(sql, cancellation: cancellation)
        var rows = columns.map { _ in 0 }
        for batch in stream.batches where batch.rowCount > 0 {
            for (position, index) in looking.enumerated() {
                rows[index] = Int(ArrowCell(column: batch.columns[position], row: 0).integer ?? 0)
            }
        }
        return rows
    }

    /// The calendar month index year × 12 + month − 1 of the row's month; NULL when it is not `YYYY-MM`.
    private func monthIndex(_ dialect: SQLDialect) -> String {
        let month = SQLExpressionWriter.dimensionAlias(monthColumn)
        return "(CASE WHEN \(dialect.isMonth(month)) THEN CAST(substr(\(month), 1, 4) AS INT) * 12 + CAST(substr(\(month), 6, 2) AS INT) - 1 END)"
    }
}
