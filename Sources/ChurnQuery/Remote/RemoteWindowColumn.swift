import ChurnStorage

/// A column the remote engine computes from each account's rows ordered by month, over the
/// whole table before any filter, with the values the in-memory engine computes for it.
struct RemoteWindowColumn: Sendable {
    enum Window: Sendable {
        /// `previous(x, n)` or `avg_previous(x, n)`, as `HistoryColumnBuilder` computes them.
        case history(HistoryCall, sourceColumn: Int, sourceType: ColumnType)
        /// '1' when the account has `churned = 1` in one of the n months after the row's, else
        /// '0' (`ChurnOutcomes`' outcome); NULL past month `lastEvaluated`, whose n months the
        /// data does not hold.
        case churnWithin(months: Int, churnedColumn: Int, lastEvaluated: Int)
    }

    let window: Window
    /// Stored columns (the typed projection's `d<i>` and `f<i>`).
    let accountColumn: Int
    let monthColumn: Int

    /// The stored columns the window reads.
    var readColumns: [Int] {
        switch window {
        case let .history(_, source, _): return [accountColumn, monthColumn, source]
        case let .churnWithin(_, churned, _): return [accountColumn, monthColumn, churned]
        }
    }

    private var call: HistoryCall? {
        if case let .history(call, _, _) = window { return call }
        return nil
    }

    /// The column's value per row: NULL without an account or a month.
    /// - previous(x, n): x of the account's one row n months before; NULL when it has none or
    ///   several there, or x is NULL in it.
    /// - avg_previous(x, n): the mean of the non-NULL x of its rows 1 to n months before, as
    ///   Σ units / rows / 10^scale in floating point, the order in which memory computes it.
    func sql(_ dialect: SQLDialect) -> String {
        let account = SQLExpressionWriter.dimensionAlias(accountColumn)
        let month = monthIndex(dialect)
        let known = "\(account) IS NOT NULL AND \(month) IS NOT NULL"
        func over(_ frame: String) -> String { "OVER (PARTITION BY \(account) ORDER BY \(month) RANGE BETWEEN \(frame))" }
        switch window {
        case let .churnWithin(months, churned, lastEvaluated):
            let churn = "max(CASE WHEN \(month) IS NOT NULL AND \(SQLExpressionWriter.factAlias(churned)) = 1 THEN 1 ELSE 0 END) "
                + over("1 FOLLOWING AND \(months) FOLLOWING")
            return "(CASE WHEN \(known) AND \(month) <= \(lastEvaluated) THEN CAST(coalesce(\(churn), 0) AS STRING) END)"
        case let .history(call, sourceColumn, sourceType):
            let value = "CASE WHEN \(month) IS NOT NULL THEN \(SQLExpressionWriter.factAlias(sourceColumn)) END"
            switch call.function {
            case .previous:
                return "(CASE WHEN \(known) AND \(rowsLookedAt(dialect)) = 1 THEN max(\(value)) \(over("\(call.months) PRECEDING AND \(call.months) PRECEDING")) END)"
            case .averagePrevious:
                let window = over("\(call.months) PRECEDING AND 1 PRECEDING")
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
    }

    /// The account's rows in the month `previous` looks at.
    private func rowsLookedAt(_ dialect: SQLDialect) -> String {
        let account = SQLExpressionWriter.dimensionAlias(accountColumn), month = monthIndex(dialect), months = call?.months ?? 1
        return "count(CASE WHEN \(month) IS NOT NULL THEN 1 END) OVER (PARTITION BY \(account) ORDER BY \(month) "
            + "RANGE BETWEEN \(months) PRECEDING AND \(months) PRECEDING)"
    }

    /// Per column, the account-months where `previous` finds several rows in the month it looks
    /// at (and so is NULL), as `HistoryColumnBuilder` counts them: in `onlyMonth` when given;
    /// 0 for `avg_previous`. One statement for all of them; none without a `previous`.
    static func ambiguousRows(_ columns: [RemoteWindowColumn], on connection: any SQLConnection, catalog: CubeCatalog,
                              onlyMonth: Int?, cancellation: Cancellation) throws -> [Int] {
        let looking = columns.indices.filter { columns[$0].call?.function == .previous }
        guard let first = looking.first.map({ columns[$0] }) else { return columns.map { _ in 0 } }
        let dialect = connection.dialect
        let account = SQLExpressionWriter.dimensionAlias(first.accountColumn), month = first.monthIndex(dialect)
        let counts = looking.map { (sql: "CASE WHEN \(account) IS NOT NULL AND \(month) IS NOT NULL THEN \(columns[$0].rowsLookedAt(dialect)) END",
                                    alias: "c\($0)") }
        let typed = SQLRowSource(dialect: dialect, table: connection.table, catalog: catalog, filter: nil)
            .query(outputs: [(month, "mi")] + counts, columns: [first.accountColumn, first.monthColumn])
        var sql = "SELECT " + looking.map { "sum(CASE WHEN c\($0) > 1 THEN 1 ELSE 0 END) AS s\($0)" }.joined(separator: ", ")
            + "\nFROM (" + typed + ") AS looked"
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
