import ChurnModel
import ChurnQuery
import ChurnSyntax

/// `SELECT dims, measures ... GROUP BY ... COMPARE before TO after`: the SELECT run on each
/// side's rows (its grouping sets, formats and exact sums as they are), set side by side per
/// group; each measure gives before, after, change (points for rates) and change %, and each
/// ratio measure a two-sided test of the change per row with Benjamini–Hochberg across the rows.
enum PeriodComparisonQuery {
    static func run(_ select: SelectStatement, range: SourceRange, engine: QueryEngine, cancellation: Cancellation) throws -> QueryResult {
        guard let comparison = select.comparison else { return try engine.execute(Statement(.select(select), range: range)) }
        if select.having != nil || !select.orderBy.isEmpty || select.limit != nil || select.offset != nil {
            throw QueryError("COMPARE sets two slices side by side in the order of the GROUP BY; it takes no HAVING, ORDER BY, LIMIT or OFFSET",
                             at: range)
        }
        let catalog = engine.catalog
        var plain = select
        plain.comparison = nil
        func side(_ condition: Expression) -> SelectStatement {
            var statement = plain
            statement.filter = select.filter.map { .binary(.and, $0, condition) } ?? condition
            return statement
        }
        let before = try engine.execute(Statement(.select(side(comparison.before))), cancellation: cancellation)
        let after = try engine.execute(Statement(.select(side(comparison.after))), cancellation: cancellation)
        // A side without rows is a mistake (a month not in the data): grouped, it has no group;
        // without GROUP BY, a count says.
        for (condition, result) in [(comparison.before, before), (comparison.after, after)] {
            var empty = result.rows.isEmpty
            if select.groupBy.isEmpty {
                var count = SelectStatement(items: [.expression(.countStar())], cube: select.cube)
                count.filter = side(condition).filter
                empty = try engine.execute(Statement(.select(count)), cancellation: cancellation).rows.first?.first == .integer(0)
            }
            if empty {
                throw QueryError("COMPARE: no rows where \(condition)" + (select.filter.map { " within WHERE \($0)" } ?? "")
                                 + monthsHint(catalog), at: condition.range)
            }
        }
        guard before.text == nil, !before.columns.isEmpty else {
            throw QueryError("COMPARE works on a SELECT that aggregates (measures by GROUP BY dimensions)", at: range)
        }
        let dimensionColumns = before.columns.indices.filter { before.columns[$0].role == .dimension }
        let measureColumns = before.columns.indices.filter { before.columns[$0].role == .measure }

        // The groups of both sides, in the order of a SELECT over both.
        var keys: [[ResultValue]] = []
        var beforeRows: [[ResultValue]: [ResultValue]] = [:], afterRows: [[ResultValue]: [ResultValue]] = [:]
        for row in before.rows { beforeRows[dimensionColumns.map { row[$0] }] = row }
        for row in after.rows { afterRows[dimensionColumns.map { row[$0] }] = row }
        if afterRows.keys.allSatisfy({ beforeRows[$0] != nil }) && beforeRows.count == afterRows.count {
            keys = before.rows.map { row in dimensionColumns.map { row[$0] } }
        } else {
            var union = plain
            union.filter = .binary(.or, comparison.before, comparison.after)
            if let filter = select.filter { union.filter = .binary(.and, filter, union.filter!) }
            let both = try engine.execute(Statement(.select(union)), cancellation: cancellation)
            keys = both.rows.map { row in dimensionColumns.map { row[$0] } }
        }

        // Moments of each ratio measure per finest group, for the tests.
        let attributes = try dimensionColumns.map { column -> GroupAttribute in
            guard case let .expression(expression, _) = select.items[column].kind, case let .column(name) = expression.kind,
                  let attribute = catalog.attribute(named: name.name) else {
                throw QueryError("COMPARE groups by dimensions; '\(before.columns[column].name)' is not one", at: select.items[column].range)
            }
            return attribute
        }
        var tests: [Int: [Double?]] = [:]
        for column in measureColumns {
            guard case let .expression(expression, _) = select.items[column].kind, let parts = try? engine.ratioParts(of: expression) else { continue }
            let kind: HotspotMeasure.Kind = parts.isProportion ? .proportion : .ratioOfSums
            let sides = try [comparison.before, comparison.after].map { condition in
                try engine.moments(of: parts, by: attributes, filter: side(condition).filter, cubeName: select.cube, cancellation: cancellation)
            }
            var grouped = sides.map { table in MomentIndex(table: table, attributes: attributes) }
            tests[column] = keys.map { key in
                ChangeStatistics.zOfChange(before: grouped[0].moments(matching: key), after: grouped[1].moments(matching: key), kind: kind)
                    .map(NormalDistribution.twoSidedPValue)
            }
        }

        var columns = dimensionColumns.map { before.columns[$0] }
        for column in measureColumns {
            let measure = before.columns[column]
            let isRate = measure.format == .percent
            columns += [ResultColumn(name: "\(measure.name)_before", role: .measure, format: measure.format, unit: measure.unit),
                        ResultColumn(name: "\(measure.name)_after", role: .measure, format: measure.format, unit: measure.unit),
                        ResultColumn(name: "\(measure.name)_change", role: .measure, format: isRate ? .points : measure.format, unit: measure.unit),
                        ResultColumn(name: "\(measure.name)_change_pct", role: .measure, format: .percent)]
            if tests[column] != nil {
                columns += [ResultColumn(name: "\(measure.name)_p", role: .measure, format: .significance),
                            ResultColumn(name: "\(measure.name)_q", role: .measure, format: .significance)]
            }
        }
        var qValues: [Int: [Double?]] = [:]
        for (column, pValues) in tests {
            let tested = pValues.compactMap { $0 }
            var adjusted = BenjaminiHochberg.qValues(tested).makeIterator()
            qValues[column] = pValues.map { $0 == nil ? nil : adjusted.next() }
        }
        let rows = keys.enumerated().map { index, key -> [ResultValue] in
            var row = key
            for column in measureColumns {
                let old = beforeRows[key]?[column] ?? .null, new = afterRows[key]?[column] ?? .null
                row += [old, new, difference(new, old), relativeChange(new, old)]
                if let pValues = tests[column] {
                    row += [pValues[index].map(ResultValue.double) ?? .null, qValues[column]![index].map(ResultValue.double) ?? .null]
                }
            }
            return row
        }
        var result = QueryResult(columns: columns, rows: rows)
        result.text = "before: \(comparison.before); after: \(comparison.after)"
            + (tests.isEmpty ? "" : "; p: two-sided test of each rate's change, q: Benjamini–Hochberg over the \(rows.count) rows")
        result.warnings = before.warnings + after.warnings.filter { !before.warnings.contains($0) }
        return result
    }

    /// after − before, exact when both are exact numbers of the same scale.
    static func difference(_ new: ResultValue, _ old: ResultValue) -> ResultValue {
        if let (a, scale) = new.exactUnits, let (b, otherScale) = old.exactUnits, scale == otherScale {
            let (value, overflow) = a.subtractingReportingOverflow(b)
            if !overflow { return .exact(units: value, scale: scale) }
        }
        guard let a = new.doubleValue, let b = old.doubleValue else { return .null }
        return .double(a - b)
    }

    /// (after − before) / |before|; NULL when before is 0 or missing.
    static func relativeChange(_ new: ResultValue, _ old: ResultValue) -> ResultValue {
        guard let a = new.doubleValue, let b = old.doubleValue, b != 0 else { return .null }
        return .double((a - b) / abs(b))
    }

    /// ` (the data's months run from ... to ...)`, or nothing for a cube without months.
    static func monthsHint(_ catalog: CubeCatalog) -> String {
        guard let axis = TimeAxis(catalog: catalog) else { return "" }
        let months = axis.monthIndex.compactMap { $0 }
        guard let first = months.min(), let last = months.max() else { return "" }
        return " (the data's months run from \(TimeAxis.label(of: first)) to \(TimeAxis.label(of: last)))"
    }
}

/// A moment table's cells by member labels, for the rows of a result: a rolled-up column
/// (`.subtotal`) matches every member. Each pattern of rolled-up columns is summed once.
struct MomentIndex {
    private var byPattern: [[Bool]: [[ResultValue]: Moments]] = [:]
    private let cells: [(labels: [ResultValue], moments: Moments)]

    init(table: MomentTable, attributes: [GroupAttribute]) {
        cells = table.cells.map { cell in
            (cell.codes.enumerated().map { position, code in
                attributes[position].dictionary.value(of: code).map(ResultValue.text) ?? .null
            }, Moments(rows: cell.rows, x: cell.x, y: cell.y, xx: cell.xx, yy: cell.yy, xy: cell.xy))
        }
    }

    mutating func moments(matching key: [ResultValue]) -> Moments {
        let pattern = key.map { $0 == .subtotal }
        if byPattern[pattern] == nil {
            var sums: [[ResultValue]: Moments] = [:]
            for cell in cells {
                let masked = zip(cell.labels, pattern).map { $1 ? ResultValue.subtotal : $0 }
                sums[masked, default: .zero] += cell.moments
            }
            byPattern[pattern] = sums
        }
        return byPattern[pattern]![key] ?? .zero
    }
}
