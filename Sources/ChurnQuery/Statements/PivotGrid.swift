import ChurnStorage
import ChurnSyntax

/// PIVOT measure ROWS d1 COLUMNS d2: a two-dimension grid (a heat map in the REPL).
///
/// Columns go in ascending order of their values (months left to right), NULL last; a NULL
/// member is labelled `NULL` down the side and across the top alike. A dimension with more than
/// `maximumColumns` members keeps those with the most rows, and the caption says how many were
/// left out.
struct PivotGrid {
    let engine: QueryEngine

    /// The most columns a grid spreads across.
    static let maximumColumns = 50

    func run(_ pivot: PivotStatement, cancellation: Cancellation) throws -> QueryResult {
        for name in [pivot.rows, pivot.columns] where engine.catalog.attribute(named: name.name) == nil {
            throw engine.catalog.unknownName(name, expected: "dimension")
        }
        let select = SelectStatement(
            items: [.expression(Expression(.column(pivot.rows))), .expression(Expression(.column(pivot.columns))), .expression(pivot.measure),
                    .expression(.countStar())],
            cube: pivot.cube, filter: pivot.filter,
            groupBy: [GroupingElement(.expression(Expression(.column(pivot.rows)))), GroupingElement(.expression(Expression(.column(pivot.columns))))])
        var profile = ExecutionProfile()
        let long = try engine.run(select, cancellation: cancellation, profile: &profile)
        var rowLabels: [ResultValue] = []
        var columnLabels: [ResultValue] = []
        var seenColumns: Set<ResultValue> = []
        var rowsPerColumn: [ResultValue: Int64] = [:]
        var cells: [ResultValue: [ResultValue: ResultValue]] = [:]
        for row in long.rows {
            if cells[row[0]] == nil { rowLabels.append(row[0]) }
            if seenColumns.insert(row[1]).inserted { columnLabels.append(row[1]) }
            cells[row[0], default: [:]][row[1]] = row[2]
            if case let .integer(count) = row[3] { rowsPerColumn[row[1], default: 0] += count }
        }
        columnLabels.sort { lhs, rhs in
            switch (lhs, rhs) {
            case let (.text(a), .text(b)): return ByteString(a) < ByteString(b)
            case (.text, _): return true
            default: return false
            }
        }
        let memberCount = columnLabels.count
        if memberCount > Self.maximumColumns {
            let position = Dictionary(uniqueKeysWithValues: columnLabels.enumerated().map { ($1, $0) })
            let kept = Set(columnLabels.sorted { lhs, rhs in
                let (left, right) = (rowsPerColumn[lhs] ?? 0, rowsPerColumn[rhs] ?? 0)
                return left != right ? left > right : position[lhs]! < position[rhs]!
            }.prefix(Self.maximumColumns))
            columnLabels = columnLabels.filter(kept.contains)
        }

        let measureFormat = long.columns[2].format
        func label(_ value: ResultValue) -> String {
            if case let .text(text) = value { return text }
            return "NULL"
        }
        let columns = [ResultColumn(name: "\(pivot.rows.name) \\ \(pivot.columns.name)", role: .dimension, format: .text)]
            + columnLabels.map { ResultColumn(name: label($0), role: .measure, format: measureFormat) }
        let rows = rowLabels.map { rowLabel in [.text(label(rowLabel))] + columnLabels.map { cells[rowLabel]?[$0] ?? .null } }
        var caption = "\(long.columns[2].name) by \(pivot.rows.name) and \(pivot.columns.name)"
        if memberCount > columnLabels.count {
            caption += " (\(columnLabels.count) of \(Thousands.grouped(memberCount)) columns shown, those with the most rows; "
                + "\(Thousands.grouped(memberCount - columnLabels.count)) left out: narrow the slice with WHERE)"
        }
        var grid = QueryResult(columns: columns, rows: rows, text: caption, presentation: .grid)
        grid.warnings = long.warnings
        return grid
    }
}
