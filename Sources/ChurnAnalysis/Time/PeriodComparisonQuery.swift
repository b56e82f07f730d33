import ChurnModel
import ChurnQuery
import ChurnSyntax

/// `SELECT dims, measures ... GROUP BY ... COMPARE before TO after`: the SELECT run on each
/// side's rows (its grouping sets, formats and exact sums as they are), set side by side per
/// group; each measure gives before, after, change (points for rates) and change %, and each
/// ratio measure a two-sided test of the change per row with Benjamini–Hochberg across the rows.
///
/// When each side is one month (`period = '2025-05'`), one SELECT grouped by the month as well
/// answers both sides, and one scan collects every ratio measure's moments for both; otherwise
/// each side is a SELECT of its own and a moment scan of its own.
enum PeriodComparisonQuery {
    /// Both sides' rows of the plain SELECT by group key, in the order of the groups.
    private struct Sides {
        var columns: [ResultColumn]
        var keys: [[ResultValue]] = []
        var before: [[ResultValue]: [ResultValue]] = [:]
        var after: [[ResultValue]: [ResultValue]] = [:]
        var warnings: [Diagnostic] = []
        /// Per ratio measure column, the moment cells of each side.
        var moments: [Int: [MomentIndex]] = [:]
    }

    /// What COMPARE reads, decided before it runs: the SELECT without COMPARE, its ratio measures
    /// and grouping dimensions, and both months' codes when each side is one month.
    private struct Plan {
        var comparison: PeriodComparison
        var plain: SelectStatement
        var ratios: [(item: Int, parts: RatioParts)] = []
        var attributes: [GroupAttribute] = []
        var months: (axis: TimeAxis, codes: (UInt32, UInt32))?
    }

    private static func plan(_ select: SelectStatement, range: SourceRange, engine: QueryEngine) throws -> Plan? {
        guard let comparison = select.comparison else { return nil }
        if select.having != nil || !select.orderBy.isEmpty || select.limit != nil || select.offset != nil {
            throw QueryError("COMPARE sets two slices side by side in the order of the GROUP BY; it takes no HAVING, ORDER BY, LIMIT or OFFSET",
                             at: range)
        }
        let catalog = engine.catalog
        var plain = select
        plain.comparison = nil
        var plan = Plan(comparison: comparison, plain: plain)
        // The ratio measures among the items, and the dimensions the rows are grouped by.
        for (index, item) in select.items.enumerated() {
            guard case let .expression(expression, _) = item.kind else {
                throw QueryError("COMPARE works on a SELECT that aggregates (measures by GROUP BY dimensions)", at: item.range)
            }
            if case let .column(name) = expression.kind, let attribute = catalog.attribute(named: name.name) {
                plan.attributes.append(attribute)
            } else if let parts = try? engine.ratioParts(of: expression) {
                plan.ratios.append((index, parts))
            }
        }
        if let axis = TimeAxis(catalog: catalog), let first = singleMonth(comparison.before, axis: axis, catalog: catalog),
           let second = singleMonth(comparison.after, axis: axis, catalog: catalog), first != second {
            plan.months = (axis, (first, second))
        }
        return plan
    }

    /// EXPLAIN of a COMPARE: how it reads both sides, then the plan of each scan it runs.
    static func explain(_ select: SelectStatement, range: SourceRange, engine: QueryEngine, cancellation: Cancellation) throws -> QueryResult {
        guard let plan = try plan(select, range: range, engine: engine) else {
            return try engine.execute(Statement(.explain(Statement(.select(select), range: range)), range: range), cancellation: cancellation)
        }
        let measures = plan.ratios.map { plan.plain.items[$0.item].description }
        var lines = ["EXPLAIN \(Statement(.select(select)))"]
        if let months = plan.months {
            lines.append("COMPARE: both sides are single months of '\(months.axis.month.name)': one scan of both months, grouped by the month as "
                         + "well" + (measures.isEmpty ? "" : ", with the moments of \(measures.joined(separator: ", ")) for the tests"))
            lines.append("")
            lines.append(try engine.explainSelect(bothMonths(plan.plain, months: months.codes, axis: months.axis),
                                                  withMomentsOf: plan.ratios.map(\.parts), cancellation: cancellation))
        } else {
            lines.append("COMPARE: each side its own SELECT (below)"
                         + (measures.isEmpty ? "" : ", then a scan of each side's rows for the moments of \(measures.joined(separator: ", "))"))
            for condition in [plan.comparison.before, plan.comparison.after] {
                lines.append("")
                let side = Statement(.select(Self.side(plan.plain, condition)))
                lines.append(try engine.execute(Statement(.explain(side)), cancellation: cancellation).text ?? "")
            }
        }
        return .message(lines.joined(separator: "\n"))
    }

    static func run(_ select: SelectStatement, range: SourceRange, engine: QueryEngine, cancellation: Cancellation) throws -> QueryResult {
        guard let plan = try plan(select, range: range, engine: engine) else {
            return try engine.execute(Statement(.select(select), range: range))
        }
        let catalog = engine.catalog
        let (comparison, plain, ratios, attributes) = (plan.comparison, plan.plain, plan.ratios, plan.attributes)
        let sides: Sides
        if let months = plan.months {
            sides = try oneScan(plain, months: months.codes, axis: months.axis, ratios: ratios, attributes: attributes, engine: engine,
                                cancellation: cancellation)
        } else {
            sides = try scanEachSide(plain, comparison: comparison, ratios: ratios, attributes: attributes, engine: engine,
                                     cancellation: cancellation)
        }
        for (condition, rows) in [(comparison.before, sides.before), (comparison.after, sides.after)] where rows.isEmpty {
            throw QueryError("COMPARE: no rows where \(condition)" + (select.filter.map { " within WHERE \($0)" } ?? "")
                             + monthsHint(catalog), at: condition.range)
        }
        let dimensionColumns = sides.columns.indices.filter { sides.columns[$0].role == .dimension }
        let measureColumns = sides.columns.indices.filter { sides.columns[$0].role == .measure }

        var tests: [Int: [Double?]] = [:]
        for (item, parts) in ratios {
            guard var grouped = sides.moments[item] else { continue }
            let kind: HotspotMeasure.Kind = parts.isProportion ? .proportion : .ratioOfSums
            tests[item] = sides.keys.map { key in
                let before = grouped[0].moments(matching: key), after = grouped[1].moments(matching: key)
                return ChangeStatistics.zOfChange(before: before, after: after, kind: kind).map(NormalDistribution.twoSidedPValue)
            }
        }
        var columns = dimensionColumns.map { sides.columns[$0] }
        var groups: [ComparisonGroup] = []
        for column in measureColumns {
            let measure = sides.columns[column]
            let first = columns.count
            let isRate = measure.format == .percent
            columns += [ResultColumn(name: "\(measure.name)_before", role: .measure, format: measure.format, unit: measure.unit),
                        ResultColumn(name: "\(measure.name)_after", role: .measure, format: measure.format, unit: measure.unit),
                        ResultColumn(name: "\(measure.name)_change", role: .measure, format: isRate ? .points : measure.format, unit: measure.unit),
                        ResultColumn(name: "\(measure.name)_change_pct", role: .measure, format: .percent)]
            if tests[column] != nil {
                columns += [ResultColumn(name: "\(measure.name)_p", role: .measure, format: .significance),
                            ResultColumn(name: "\(measure.name)_q", role: .measure, format: .significance)]
            }
            let shortNames = ["before", "after", "change", "change %", "p", "q"]
            groups.append(ComparisonGroup(measure: measure.name, columns: first..<columns.count,
                                          shortNames: Array(shortNames.prefix(columns.count - first))))
        }
        var qValues: [Int: [Double?]] = [:]
        for (column, pValues) in tests {
            var adjusted = BenjaminiHochberg.qValues(pValues.compactMap { $0 }).makeIterator()
            qValues[column] = pValues.map { $0 == nil ? nil : adjusted.next() }
        }
        let rows = sides.keys.enumerated().map { index, key -> [ResultValue] in
            var row = key
            for column in measureColumns {
                let old = sides.before[key]?[column] ?? .null, new = sides.after[key]?[column] ?? .null
                row += [old, new, difference(new, old), relativeChange(new, old)]
                if let pValues = tests[column] {
                    row += [pValues[index].map(ResultValue.double) ?? .null, qValues[column]![index].map(ResultValue.double) ?? .null]
                }
            }
            return row
        }
        var result = QueryResult(columns: columns, rows: rows, presentation: .comparison(measures: groups))
        result.text = "before: \(comparison.before); after: \(comparison.after)"
            + (tests.isEmpty ? "" : "; p: two-sided test of each rate's change, q: Benjamini–Hochberg over the \(rows.count) rows")
        result.warnings = sides.warnings
        return result
    }

    /// The month code a side names when it is `month = 'YYYY-MM'` on the time axis.
    private static func singleMonth(_ condition: Expression, axis: TimeAxis, catalog: CubeCatalog) -> UInt32? {
        guard case let .binary(.equal, left, right) = condition.kind, case let .column(name) = left.kind, case let .string(text) = right.kind,
              catalog.attribute(named: name.name) === axis.month, let code = axis.month.dictionary.code(of: text), code != 0 else { return nil }
        return code
    }

    /// Both months from one SELECT grouped by the month as well, and one moment scan.
    private static func oneScan(_ plain: SelectStatement, months: (UInt32, UInt32), axis: TimeAxis, ratios: [(item: Int, parts: RatioParts)],
                                attributes: [GroupAttribute], engine: QueryEngine, cancellation: Cancellation) throws -> Sides {
        let labels = [months.0, months.1].map { axis.month.dictionary.value(of: $0)! }
        let (result, tables) = try engine.select(bothMonths(plain, months: months, axis: axis), withMomentsOf: ratios.map(\.parts),
                                                 cancellation: cancellation)
        let monthColumn = result.columns.count - 1
        var sides = Sides(columns: Array(result.columns.dropLast()), warnings: result.warnings)
        let dimensionColumns = sides.columns.indices.filter { sides.columns[$0].role == .dimension }
        var seen: Set<[ResultValue]> = []
        for row in result.rows {
            let values = Array(row.dropLast())
            let key = dimensionColumns.map { values[$0] }
            if seen.insert(key).inserted { sides.keys.append(key) }
            if row[monthColumn] == .text(labels[0]) { sides.before[key] = values } else { sides.after[key] = values }
        }
        for (index, ratio) in ratios.enumerated() {
            let table = tables[index]
            guard let monthPosition = table.attributes.firstIndex(where: { $0 === axis.month }) else { continue }
            sides.moments[ratio.item] = [months.0, months.1].map { code in
                MomentIndex(cells: table.cells.filter { $0.codes[monthPosition] == code }, attributes: attributes, of: table.attributes)
            }
        }
        return sides
    }

    /// The SELECT over both months, grouped by the month as well (its last column).
    private static func bothMonths(_ plain: SelectStatement, months: (UInt32, UInt32), axis: TimeAxis) -> SelectStatement {
        let month = Expression.column(axis.month.name)
        let labels = [months.0, months.1].map { axis.month.dictionary.value(of: $0)! }
        let both = Expression.inList(month, labels.map(Expression.string))
        var select = plain
        select.items.append(SelectItem(.expression(month, alias: nil)))
        select.groupBy.append(GroupingElement(.expression(month)))
        select.filter = plain.filter.map { .binary(.and, $0, both) } ?? both
        return select
    }

    /// The SELECT of one side: the slice's filter and the side's condition.
    private static func side(_ plain: SelectStatement, _ condition: Expression) -> SelectStatement {
        var statement = plain
        statement.filter = plain.filter.map { .binary(.and, $0, condition) } ?? condition
        return statement
    }

    /// Each side its own SELECT and its own moment scan: any two conditions.
    private static func scanEachSide(_ plain: SelectStatement, comparison: PeriodComparison, ratios: [(item: Int, parts: RatioParts)],
                                     attributes: [GroupAttribute], engine: QueryEngine, cancellation: Cancellation) throws -> Sides {
        func side(_ condition: Expression) -> SelectStatement { Self.side(plain, condition) }
        let results = try [comparison.before, comparison.after].map { condition in
            try engine.execute(Statement(.select(side(condition))), cancellation: cancellation)
        }
        var sides = Sides(columns: results[0].columns)
        sides.warnings = results[0].warnings + results[1].warnings.filter { !results[0].warnings.contains($0) }
        let dimensionColumns = sides.columns.indices.filter { sides.columns[$0].role == .dimension }
        for (index, result) in results.enumerated() {
            for row in result.rows {
                let key = dimensionColumns.map { row[$0] }
                if index == 0 { sides.before[key] = row } else { sides.after[key] = row }
            }
        }
        // Without GROUP BY a side always has its one row: an empty side is told by a count.
        if plain.groupBy.isEmpty {
            for (index, condition) in [comparison.before, comparison.after].enumerated() {
                var count = SelectStatement(items: [.expression(.countStar())], cube: plain.cube)
                count.filter = side(condition).filter
                if try engine.execute(Statement(.select(count)), cancellation: cancellation).rows.first?.first == .integer(0) {
                    if index == 0 { sides.before = [:] } else { sides.after = [:] }
                }
            }
        }
        // The groups in the order of a SELECT over both sides, when one side has a group the other lacks.
        if Set(sides.after.keys).isSubset(of: Set(sides.before.keys)) {
            sides.keys = results[0].rows.map { row in dimensionColumns.map { row[$0] } }
        } else {
            var union = plain
            let either = Expression.binary(.or, comparison.before, comparison.after)
            union.filter = plain.filter.map { .binary(.and, $0, either) } ?? either
            sides.keys = try engine.execute(Statement(.select(union)), cancellation: cancellation).rows.map { row in dimensionColumns.map { row[$0] } }
        }
        if !ratios.isEmpty {
            let tables = try [comparison.before, comparison.after].map { condition in
                try engine.moments(of: ratios.map(\.parts), by: attributes, filter: side(condition).filter, cubeName: plain.cube,
                                   cancellation: cancellation)
            }
            for (index, ratio) in ratios.enumerated() {
                sides.moments[ratio.item] = tables.map { MomentIndex(cells: $0[index].cells, attributes: attributes, of: $0[index].attributes) }
            }
        }
        return sides
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

    /// Cells keyed by `attributes`' members, the cells' codes following `cellAttributes`
    /// (which holds each of them, and may hold more).
    init(cells: [MomentTable.Cell], attributes: [GroupAttribute], of cellAttributes: [GroupAttribute]) {
        let positions = attributes.map { attribute in cellAttributes.firstIndex { $0 === attribute }! }
        self.cells = cells.map { cell in
            (zip(attributes, positions).map { attribute, position in
                attribute.dictionary.value(of: cell.codes[position]).map(ResultValue.text) ?? .null
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
