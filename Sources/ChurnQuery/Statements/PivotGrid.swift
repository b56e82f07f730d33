import ChurnStorage
import ChurnSyntax

/// PIVOT measure ROWS d1 COLUMNS d2: a two-dimension grid (a heat map in the REPL).
struct PivotGrid {
    let engine: QueryEngine

    func run(_ pivot: PivotStatement, cancellation: Cancellation) throws -> QueryResult {
        for name in [pivot.rows, pivot.columns] where engine.catalog.attribute(named: name.name) == nil {
            throw engine.catalog.unknownName(name, expected: "dimension")
        }
        let select = SelectStatement(
            items: [.expression(Expression(.column(pivot.rows))), .expression(Expression(.column(pivot.columns))), .expression(pivot.measure)],
            cube: pivot.cube, filter: pivot.filter,
            groupBy: [GroupingElement(.expression(Expression(.column(pivot.rows)))), GroupingElement(.expression(Expression(.column(pivot.columns))))])
        var profile = ExecutionProfile()
        let long = try engine.run(select, cancellation: cancellation, profile: &profile)
        var rowLabels: [ResultValue] = []
        var columnLabels: [ResultValue] = []
        var cells: [ResultValue: [ResultValue: ResultValue]] = [:]
        for row in long.rows {
            if !rowLabels.contains(row[0]) { rowLabels.append(row[0]) }
            if !columnLabels.contains(row[1]) { columnLabels.append(row[1]) }
            cells[row[0], default: [:]][row[1]] = row[2]
        }
        // Columns in ascending order of their values (months left to right), NULL last.
        columnLabels.sort { lhs, rhs in
            switch (lhs, rhs) {
            case let (.text(a), .text(b)): return ByteString(a) < ByteString(b)
            case (.text, _): return true
            default: return false
            }
        }
        let measureFormat = long.columns[2].format
        func label(_ value: ResultValue) -> String {
            if case let .text(text) = value { return text }
            return "NULL"
        }
        let columns = [ResultColumn(name: "\(pivot.rows.name) \\ \(pivot.columns.name)", role: .dimension, format: .text)]
            + columnLabels.map { ResultColumn(name: label($0), role: .measure, format: measureFormat) }
        let rows = rowLabels.map { rowLabel in [rowLabel] + columnLabels.map { cells[rowLabel]?[$0] ?? .null } }
        return QueryResult(columns: columns, rows: rows, text: "\(long.columns[2].name) by \(pivot.rows.name) and \(pivot.columns.name)",
                           presentation: .grid)
    }
}
