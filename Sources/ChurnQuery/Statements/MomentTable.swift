import ChurnModel
import ChurnStorage
import ChurnSyntax

/// A ratio measure taken apart: per row, what it adds to the numerator and to the denominator.
/// Hot-spot search judges cells by Σx / Σy and needs the second moments for its variances.
package struct RatioParts: Sendable {
    package var numerator: RowExpression
    package var denominator: RowExpression
    /// Numerator a 0/1 flag and denominator one per row: a proportion (logo churn).
    package var isProportion: Bool
    package var definition: MeasureDefinition?
}

/// Per cell of a grouping: rows, Σx and Σy of a ratio measure, and the second moments of the
/// cell's accounts (clusters): their number and ΣX², ΣY², ΣX·Y over them, X and Y being an
/// account's sums within the cell. Without a cluster attribute every row is its own cluster.
package struct MomentTable: Sendable {
    package struct Cell: Sendable {
        package var codes: [UInt32]
        package var rows: Double
        package var x, y: Double
        package var clusters: Double
        package var xx, yy, xy: Double
        /// Σx², Σy², Σx·y over the cell's rows (not its accounts).
        package var rowXX, rowYY, rowXY: Double
    }

    /// Each account's sums within each cell it has rows in, account after account: what a coarser
    /// grouping needs to merge an account's cells before squaring. Only kept when some account
    /// has rows in more than one cell (a dimension that changes from month to month).
    package struct ClusterParts: Sendable, Equatable {
        /// The cell (index into `cells`) of each part.
        package var cells: [Int32] = []
        package var xs: [Double] = []
        package var ys: [Double] = []
        /// The first part of each account, and the end of the last one.
        package var starts: [Int32] = [0]
        /// Whether every account is listed; otherwise only those with rows in several cells are,
        /// and the others' moments are in their one cell's (a remote engine pools them per cell).
        package var listsEveryAccount = true

        package init(cells: [Int32] = [], xs: [Double] = [], ys: [Double] = [], starts: [Int32] = [0], listsEveryAccount: Bool = true) {
            self.cells = cells
            self.xs = xs
            self.ys = ys
            self.starts = starts
            self.listsEveryAccount = listsEveryAccount
        }

        package var clusterCount: Int { starts.count - 1 }
    }

    /// How the account-robust moments were collected, for EXPLAIN.
    package struct ClusterStatistics: Sendable {
        /// The cluster attribute (`account_id`).
        package var attribute: String
        /// Stretches of rows of one account and one cell that the scan collected.
        package var segments: Int
        /// Accounts with a row in the slice (rows without an account count one each).
        package var clusters: Int
        /// Pairs of an account and a cell it has rows in.
        package var accountCells: Int
        /// Merging the segments into accounts, after the scan.
        package var milliseconds: Double
    }

    package var attributes: [GroupAttribute]
    package var cells: [Cell]
    /// The slice's spread per row, Σ(x − R·y)² / Σy² over its rows at its rate R (0 without a
    /// denominator).
    package var rowSpread: Double
    /// Nil when no account has rows in two cells, or without a cluster attribute.
    package var clusterParts: ClusterParts?
    /// Nil without a cluster attribute (rows taken as independent).
    package var clusterStatistics: ClusterStatistics?
    package var rowsScanned: Int
    package var rowsMatched: Int
    package var rowGroupsSkipped: Int
    package var rowGroups: Int
    package var milliseconds: Double
    /// Conditions of the filter that match nothing for a value that is no member.
    package var warnings: [Diagnostic]
    /// Set when a remote engine computed the moments: where, and the SQL it was sent.
    package var remote: RemoteProfile? = nil
    /// The sums of the extra expressions asked for (`moments(of:by:...sums:)`), one array per
    /// expression, in the order of `cells`.
    package var sums: [[Double]] = []
}

extension QueryEngine {
    /// Splits a measure (a named measure or an expression) into row-level numerator and
    /// denominator: `SUM(a) / COUNT(*)`, `(SUM(a) - SUM(b)) / SUM(c)`, `AVG(a)`. A name that is
    /// not such a measure is refused with the names that are; `statement` names who asks.
    package func ratioParts(of measure: Expression, for statement: String = "HOTSPOTS") throws -> RatioParts {
        guard case let .column(identifier) = measure.kind else { return try decompose(measure, for: statement) }
        let accepted = "\(statement) takes a ratio measure: " + ratioMeasureNames.joined(separator: ", ")
        switch catalog.resolve(identifier.name) {
        case nil:
            throw catalog.unknownName(identifier, expected: "measure")
        case let .measure(found, parsed)?:
            if case let .semiAdditive(over) = found.additivity {
                throw QueryError("'\(found.name)' is semi-additive: a level over \(over) (the last \(over)'s value in each cell), not a rate",
                                 at: identifier.range, hint: accepted)
            }
            do {
                return try decompose(measure, for: statement)
            } catch {
                throw QueryError("'\(found.name)' (\(parsed)) is not a ratio of sums", at: identifier.range, hint: accepted)
            }
        default:
            throw QueryError("'\(identifier.name)' is not a measure", at: identifier.range, hint: accepted)
        }
    }

    /// The cube's named measures a ratio statement (HOTSPOTS, WHY, TREND) can judge: ratios of
    /// sums, not semi-additive levels.
    package var ratioMeasureNames: [String] {
        catalog.cube.definition.measures.compactMap { measure in
            if case .semiAdditive = measure.additivity { return nil }
            return (try? decompose(Expression(.column(Identifier(measure.name))))) != nil ? measure.name : nil
        }
    }

    private func decompose(_ measure: Expression, for statement: String = "HOTSPOTS") throws -> RatioParts {
        var definition: MeasureDefinition?
        var formula = measure
        if case let .column(identifier) = measure.kind, case let .measure(found, parsed)? = catalog.resolve(identifier.name) {
            definition = found
            formula = parsed
        }
        // The sums become one row expression, which its consumers walk recursively.
        let height = formula.height
        guard height <= RowExpression.maximumHeight else {
            throw QueryError("the measure is nested \(height) levels deep; at most \(RowExpression.maximumHeight)", at: measure.range)
        }
        let binder = SelectBinder(catalog: catalog)
        // `added`: the sum is a term of a sum of sums, where each SUM skips its own NULLs, so a
        // row's NULL churned_mrr still leaves its mrr_start counted: its value there is 0.
        func linear(_ expression: Expression, added: Bool = false) throws -> RowExpression {
            func term(_ value: RowExpression) -> RowExpression { added ? .zeroIfNull(value) : value }
            switch expression.kind {
            case let .function(call) where call.name.normalized == "count" && call.arguments == .star:
                return .constant(1)
            case let .function(call) where call.name.normalized == "sum" && call.argumentList.count == 1:
                return term(try binder.bindRow(call.argumentList[0], function: "SUM"))
            case let .function(call) where call.name.normalized == "count" && call.argumentList.count == 1:
                if case .distinct = call.arguments { break }
                // NULL rows drop out of SUM, so c * 0 + 1 counts exactly the non-NULL rows.
                let value = try binder.bindRow(call.argumentList[0], function: "COUNT")
                return term(.arithmetic(.add, .arithmetic(.multiply, value, .constant(0)), .constant(1)))
            case let .binary(op, left, right) where op == .add || op == .subtract:
                return .arithmetic(op, try linear(left, added: true), try linear(right, added: true))
            case let .binary(.multiply, left, right):
                if case let .constant(factor) = try? binder.bindRow(left, function: "*") {
                    return .arithmetic(.multiply, .constant(factor), try linear(right, added: added))
                }
                if case let .constant(factor) = try? binder.bindRow(right, function: "*") {
                    return .arithmetic(.multiply, try linear(left, added: added), .constant(factor))
                }
            default: break
            }
            throw QueryError("\(statement) needs a ratio of sums such as SUM(x) / SUM(y) or SUM(x) / COUNT(*); '\(expression)' is not a sum",
                             at: measure.range)
        }
        let numerator: RowExpression, denominator: RowExpression
        switch formula.kind {
        case let .binary(.divide, top, bottom):
            numerator = try linear(top)
            denominator = try linear(bottom)
        case let .function(call) where call.name.normalized == "avg" && call.argumentList.count == 1:
            let value = try binder.bindRow(call.argumentList[0], function: "AVG")
            numerator = value
            denominator = .arithmetic(.add, .arithmetic(.multiply, value, .constant(0)), .constant(1))
        default:
            throw QueryError("\(statement) judges ratio measures (SUM(x) / SUM(y), SUM(x) / COUNT(*), AVG(x)); '\(formula)' is not one",
                             at: measure.range)
        }
        var isProportion = false
        if case let .column(_, name, _) = numerator, case .constant(1) = denominator,
           case let .fact(_, fact)? = catalog.resolve(name), fact.kind == .flag {
            isProportion = true
        }
        return RatioParts(numerator: numerator, denominator: denominator, isProportion: isProportion, definition: definition)
    }

    /// One scan grouped by `attributes` collecting the moments of a ratio measure per cell, the
    /// second moments over the cube's accounts (`clusterAttribute`) when `robust`, else over rows.
    /// `sums`: expressions whose Σ per cell the same scan collects besides (a numerator's flows).
    package func moments(of parts: RatioParts, by attributes: [GroupAttribute], filter: Expression?, cubeName: Identifier?,
                         robust: Bool = true, sums: [RowExpression] = [], cancellation: Cancellation) throws -> MomentTable {
        try checkCube(cubeName)
        var predicateBinder = PredicateBinder(catalog: catalog)
        let predicate = try filter.map { try predicateBinder.bind($0) }
        let x = parts.numerator, y = parts.denominator
        let cluster = robust ? catalog.clusterAttribute : nil
        var specs: [AggregateSpec] = [.sum(x), .sum(y)]
        if cluster == nil {
            // Second moments need no exactness, and squares of money could pass 64 bits.
            let (ax, ay) = (RowExpression.approximate(x), RowExpression.approximate(y))
            specs += [.sum(.arithmetic(.multiply, ax, ax)), .sum(.arithmetic(.multiply, ay, ay)), .sum(.arithmetic(.multiply, ax, ay))]
        }
        let firstSum = specs.count
        specs += sums.map { .sum($0) }
        let started = DispatchTime.now()
        var scan = AggregationScan(store: cube.store, catalog: catalog, filter: predicate, keyAttributes: attributes, specs: specs)
        scan.clusters = cluster.map { attribute in
            ClusterSpec(attribute: catalog.attributes.firstIndex { $0 === attribute }!, numerator: x, denominator: y)
        }
        let (aggregation, statistics, segments) = try scan.runCollectingClusters(cancellation: cancellation)
        // Cells in the order of their keys: a hash grouping numbers its slots in the order the
        // workers happened to meet them, and sums over cells in that order could differ in their
        // last bits from run to run.
        var occupied = aggregation.occupiedSlots
        if !aggregation.isDense {
            occupied = occupied.map { (key: aggregation.key(ofSlot: $0), slot: $0) }.sorted { $0.key < $1.key }.map(\.slot)
        }
        let hasSecond = firstSum > 2
        // Each aggregate's values in cell order, an aggregate per task; then the cells in two
        // halves, one per core (a cell's codes are decoded from its key).
        let values = parallelMap(specs.count) { aggregation.aggregates[$0].doubleValues(slots: occupied, rows: aggregation.rows) }
        let halfway = occupied.count / 2
        var cells = parallelMap(2) { half in
            (half == 0 ? 0..<halfway : halfway..<occupied.count).map { cell in
                let slot = occupied[cell]
                let rows = Double(aggregation.rows[slot])
                return MomentTable.Cell(codes: aggregation.codes(ofKey: aggregation.key(ofSlot: slot)), rows: rows,
                                        x: values[0][cell], y: values[1][cell], clusters: rows,
                                        xx: hasSecond ? values[2][cell] : 0, yy: hasSecond ? values[3][cell] : 0,
                                        xy: hasSecond ? values[4][cell] : 0, rowXX: hasSecond ? values[2][cell] : 0,
                                        rowYY: hasSecond ? values[3][cell] : 0, rowXY: hasSecond ? values[4][cell] : 0)
            }
        }.flatMap { $0 }
        var clusterParts: MomentTable.ClusterParts?
        var clusterStatistics: MomentTable.ClusterStatistics?
        if let cluster, let segments {
            try cancellation.check()
            let merging = DispatchTime.now()
            var cellOfSlot = [Int32](repeating: -1, count: aggregation.slotCount)
            for (cell, slot) in occupied.enumerated() { cellOfSlot[slot] = Int32(cell) }
            let merged = Self.mergeAccounts(segments, into: &cells) { key in cellOfSlot[Int(aggregation.slot(forKey: key))] }
            clusterParts = merged.spansCells ? merged.parts : nil
            let pooled = Int(segments.pooled.reduce(0) { $0 + $1.clusters })
            clusterStatistics = MomentTable.ClusterStatistics(
                attribute: cluster.name, segments: segments.count + pooled, clusters: merged.parts.clusterCount + pooled,
                accountCells: merged.parts.cells.count + pooled, milliseconds: milliseconds(since: merging))
        }
        var totals = (x: 0.0, y: 0.0, xx: 0.0, yy: 0.0, xy: 0.0)
        for cell in cells {
            totals.x += cell.x
            totals.y += cell.y
            totals.xx += cell.rowXX
            totals.yy += cell.rowYY
            totals.xy += cell.rowXY
        }
        var rowSpread = 0.0
        if totals.y != 0, totals.yy > 0 {
            let rate = totals.x / totals.y
            rowSpread = max(0, totals.xx - 2 * rate * totals.xy + rate * rate * totals.yy) / totals.yy
        }
        return MomentTable(attributes: attributes, cells: cells, rowSpread: rowSpread, clusterParts: clusterParts, clusterStatistics: clusterStatistics,
                           rowsScanned: statistics.rowsScanned, rowsMatched: statistics.rowsMatched,
                           rowGroupsSkipped: statistics.rowGroupsSkipped, rowGroups: statistics.rowGroups,
                           milliseconds: milliseconds(since: started), warnings: predicateBinder.warnings, remote: statistics.remote,
                           sums: Array(values[firstSum...]))
    }

    /// A SELECT's result and, from the same scan, the moments of ratio measures per finest group
    /// over rows (the cells' codes follow the tables' `attributes`, the SELECT's grouping attributes).
    package func select(_ select: SelectStatement, withMomentsOf measures: [RatioParts],
                        cancellation: Cancellation) throws -> (QueryResult, [MomentTable]) {
        let run = try runSelect(select, withMomentsOf: measures, cancellation: cancellation)
        return (run.result, run.tables)
    }

    /// EXPLAIN of `select(_:withMomentsOf:)`: the plan of its one scan, the moments' aggregates
    /// among the SELECT's, and what running it did.
    package func explainSelect(_ select: SelectStatement, withMomentsOf measures: [RatioParts],
                               cancellation: Cancellation) throws -> String {
        let run = try runSelect(select, withMomentsOf: measures, cancellation: cancellation)
        return QueryPlanText(catalog: catalog).render(statement: Statement(.select(select)), bound: .aggregate(run.query), profile: run.profile)
    }

    private func runSelect(_ select: SelectStatement, withMomentsOf measures: [RatioParts], cancellation: Cancellation) throws
        -> (result: QueryResult, tables: [MomentTable], query: AggregateQuery, profile: ExecutionProfile) {
        var binder = SelectBinder(catalog: catalog)
        guard case var .aggregate(query) = try binder.bind(select) else {
            throw QueryError("moments need a SELECT that aggregates", at: select.range)
        }
        // A sum the SELECT computes already serves the moments too; a proportion's second
        // moments follow from its sums (x² = x and x·1 = x where every stored value is 0 or 1), so
        // it needs no more.
        func aggregate(_ spec: AggregateSpec) -> Int {
            if let index = query.aggregates.firstIndex(of: spec) { return index }
            // COUNT(*) as a denominator is a sum of ones: the row count the SELECT may count already.
            if case .sum(.constant(1)) = spec, let index = query.aggregates.firstIndex(of: .countRows) { return index }
            query.aggregates.append(spec)
            return query.aggregates.count - 1
        }
        let layout = measures.map { parts in
            MomentAggregates(x: aggregate(.sum(parts.numerator)), y: aggregate(.sum(parts.denominator)),
                             second: parts.isProportion && holdsOnlyZeroOrOne(parts.numerator) ? nil
                                 : aggregate(.secondMoments(.approximate(parts.numerator), .approximate(parts.denominator))))
        }
        let attributes = query.keys.map { catalog.attributes[$0] }
        var tables: [MomentTable] = []
        var executor = AggregateExecutor(catalog: catalog, query: query)
        executor.finestObserver = { finest in
            tables = Self.rowMoments(finest, layout: layout, attributes: attributes)
        }
        var profile = ExecutionProfile()
        var result = try executor.run(cancellation: cancellation, profile: &profile)
        result.warnings = binder.warnings
        for index in tables.indices {
            tables[index].rowsScanned = profile.scan.rowsScanned
            tables[index].rowsMatched = profile.scan.rowsMatched
            tables[index].rowGroupsSkipped = profile.scan.rowGroupsSkipped
            tables[index].rowGroups = profile.scan.rowGroups
            tables[index].milliseconds = profile.scanMilliseconds
            tables[index].warnings = binder.warnings
        }
        return (result, tables, query, profile)
    }

    /// One scan grouped by `attributes` collecting the moments of several ratio measures per
    /// cell over rows: a table per measure, in order, with the same cells.
    package func moments(of measures: [RatioParts], by attributes: [GroupAttribute], filter: Expression?, cubeName: Identifier?,
                         cancellation: Cancellation) throws -> [MomentTable] {
        try checkCube(cubeName)
        var predicateBinder = PredicateBinder(catalog: catalog)
        let predicate = try filter.map { try predicateBinder.bind($0) }
        // Second moments need no exactness (squares of money could pass 64 bits): one pass in
        // floating point.
        let specs: [AggregateSpec] = measures.flatMap { parts -> [AggregateSpec] in
            [.sum(parts.numerator), .sum(parts.denominator), .secondMoments(.approximate(parts.numerator), .approximate(parts.denominator))]
        }
        let started = DispatchTime.now()
        let scan = AggregationScan(store: cube.store, catalog: catalog, filter: predicate, keyAttributes: attributes, specs: specs)
        let (aggregation, statistics) = try scan.run(cancellation: cancellation)
        let layout = measures.indices.map { MomentAggregates(x: 3 * $0, y: 3 * $0 + 1, second: 3 * $0 + 2) }
        var tables = Self.rowMoments(aggregation, layout: layout, attributes: attributes)
        for index in tables.indices {
            tables[index].rowsScanned = statistics.rowsScanned
            tables[index].rowsMatched = statistics.rowsMatched
            tables[index].rowGroupsSkipped = statistics.rowGroupsSkipped
            tables[index].rowGroups = statistics.rowGroups
            tables[index].milliseconds = milliseconds(since: started)
            tables[index].warnings = predicateBinder.warnings
        }
        return tables
    }

    /// Whether a column's chunk statistics bound every value to 0 or 1 (a flag inferred from a
    /// sample of the rows is not held to that when loading).
    private func holdsOnlyZeroOrOne(_ expression: RowExpression) -> Bool {
        guard case let .column(index, _, _) = expression, catalog.connection == nil else { return false }
        return cube.store.columns[index].chunks.allSatisfy { chunk in
            chunk.statistics.integerRange.map { $0.lowerBound >= 0 && $0.upperBound <= 1 } ?? true
        }
    }

    /// Where a measure's moments are among a grouping's aggregates: Σx, Σy, and the second
    /// moments (nil for a proportion, whose x is a 0/1 flag and y one per row).
    private struct MomentAggregates {
        var x: Int
        var y: Int
        var second: Int?
    }

    /// Per measure, the cells of a grouping with its moments as `layout` places them; every row
    /// its own cluster.
    private static func rowMoments(_ aggregation: GroupedAggregation, layout: [MomentAggregates],
                                   attributes: [GroupAttribute]) -> [MomentTable] {
        let slots = aggregation.occupiedSlots
        let codes = slots.map { aggregation.codes(ofKey: aggregation.key(ofSlot: $0)) }
        func sum(_ index: Int, _ slot: Int) -> Double { aggregation.aggregates[index].doubleValue(slot: slot, rows: aggregation.rows[slot]) ?? 0 }
        return layout.map { place in
            let second = place.second.map { aggregation.aggregates[$0] as! SecondMomentsAggregate }
            var totals = (x: 0.0, y: 0.0, xx: 0.0, yy: 0.0, xy: 0.0)
            let cells = zip(slots, codes).map { slot, codes in
                let rows = Double(aggregation.rows[slot])
                let x = sum(place.x, slot), y = sum(place.y, slot)
                let (xx, yy, xy) = second?.moments(slot: slot) ?? (x, y, x)
                let cell = MomentTable.Cell(codes: codes, rows: rows, x: x, y: y, clusters: rows,
                                            xx: xx, yy: yy, xy: xy, rowXX: xx, rowYY: yy, rowXY: xy)
                totals = (totals.x + cell.x, totals.y + cell.y, totals.xx + xx, totals.yy + yy, totals.xy + xy)
                return cell
            }
            var rowSpread = 0.0
            if totals.y != 0, totals.yy > 0 {
                let rate = totals.x / totals.y
                rowSpread = max(0, totals.xx - 2 * rate * totals.xy + rate * rate * totals.yy) / totals.yy
            }
            return MomentTable(attributes: attributes, cells: cells, rowSpread: rowSpread, clusterParts: nil, clusterStatistics: nil,
                               rowsScanned: 0, rowsMatched: 0, rowGroupsSkipped: 0, rowGroups: 0, milliseconds: 0, warnings: [])
        }
    }

    /// Sums each account's segments per cell and adds the squares to the cells' cluster moments
    /// (whose `clusters` are reset to count accounts). Accounts are taken in code order and their
    /// segments in row order, so the sums are the same on every run.
    private static func mergeAccounts(_ segments: ClusterSegments, into cells: inout [MomentTable.Cell],
                                      cellOfKey: (UInt64) -> Int32) -> (parts: MomentTable.ClusterParts, spansCells: Bool) {
        for index in cells.indices { cells[index].clusters = 0 }
        let count = segments.count
        // Counting sort by account, stable: segments of one account keep their row order.
        var starts = [Int32](repeating: 0, count: segments.clusterCodeCount + 1)
        for cluster in segments.clusters { starts[Int(cluster) + 1] += 1 }
        for code in 0..<segments.clusterCodeCount { starts[code + 1] += starts[code] }
        var order = [Int32](repeating: 0, count: count)
        var next = starts
        for index in 0..<count {
            let cluster = Int(segments.clusters[index])
            order[Int(next[cluster])] = Int32(index)
            next[cluster] += 1
        }
        // Each segment's cell: a lookup per change of key, in fixed stretches on every core (the
        // lookups only read, so the cells are the same however the stretches are run).
        let stretch = 1 << 16
        let segmentCells = parallelMap((count + stretch - 1) / stretch) { part -> [Int32] in
            var lastKey = UInt64.max, lastCell: Int32 = 0
            return (part * stretch..<min(count, (part + 1) * stretch)).map { index in
                let key = segments.keys[index]
                if key != lastKey { lastKey = key; lastCell = cellOfKey(key) }
                return lastCell
            }
        }.flatMap { $0 }
        var parts = MomentTable.ClusterParts(listsEveryAccount: segments.pooled.isEmpty)
        for pool in segments.pooled {
            let cell = Int(cellOfKey(pool.key))
            cells[cell].clusters += pool.clusters
            cells[cell].xx += pool.xx
            cells[cell].yy += pool.yy
            cells[cell].xy += pool.xy
            cells[cell].rowXX += pool.rowMoments.x
            cells[cell].rowXY += pool.rowMoments.y
            cells[cell].rowYY += pool.rowMoments.z
        }
        parts.cells.reserveCapacity(count)
        parts.xs.reserveCapacity(count)
        parts.ys.reserveCapacity(count)
        parts.starts.reserveCapacity(segments.clusterCodeCount + 1)
        var spansCells = false
        func addRowMoments(_ squares: SIMD3<Double>, to cell: Int) {
            cells[cell].rowXX += squares.x
            cells[cell].rowXY += squares.y
            cells[cell].rowYY += squares.z
        }
        func close(_ first: Int) {
            for part in first..<parts.cells.count {
                let cell = Int(parts.cells[part])
                let (x, y) = (parts.xs[part], parts.ys[part])
                cells[cell].clusters += 1
                cells[cell].xx += x * x
                cells[cell].yy += y * y
                cells[cell].xy += x * y
            }
            parts.starts.append(Int32(parts.cells.count))
        }
        // Rows without an account (code 0) are clusters of their own.
        for position in Int(starts[0])..<Int(starts[1]) {
            let segment = Int(order[position])
            addRowMoments(segments.rowMoments[segment], to: Int(segmentCells[segment]))
            let first = parts.cells.count
            parts.cells.append(segmentCells[segment])
            parts.xs.append(segments.xs[segment])
            parts.ys.append(segments.ys[segment])
            close(first)
        }
        for code in 1..<max(1, segments.clusterCodeCount) where starts[code + 1] > starts[code] {
            let first = parts.cells.count
            for position in Int(starts[code])..<Int(starts[code + 1]) {
                let segment = Int(order[position])
                let cell = segmentCells[segment]
                addRowMoments(segments.rowMoments[segment], to: Int(cell))
                // An account has rows in few cells: a linear search of its own parts.
                if let part = (first..<parts.cells.count).first(where: { parts.cells[$0] == cell }) {
                    parts.xs[part] += segments.xs[segment]
                    parts.ys[part] += segments.ys[segment]
                } else {
                    parts.cells.append(cell)
                    parts.xs.append(segments.xs[segment])
                    parts.ys.append(segments.ys[segment])
                }
            }
            if parts.cells.count - first > 1 { spansCells = true }
            close(first)
        }
        return (parts, spansCells)
    }
}

import Dispatch
