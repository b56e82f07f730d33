import ChurnModel
import ChurnQuery
import ChurnSyntax
import Dispatch

/// WHY measure CHANGED FROM 'p1' TO 'p2': the change of a ratio measure between two periods,
/// split over the cells of the searched dimensions.
///
/// One scan grouped by the dimensions and the month gives both periods' moments per finest
/// cell; a cuboid lattice per period rolls them up to every cell of depth 1…n, and each cell's
/// contribution is its `ChangeDecomposition` (over the cells of one cuboid they add up to the
/// total change).
///
/// Each cell is tested for a change larger than the rest of the slice's (a difference in
/// differences), Benjamini–Hochberg over every cell tried. Among the cells that pass, one whose
/// change a more specific cell explains (the general cell without it changed no more than the
/// rest) is folded under that cell, and one that changed like a more general cell is folded
/// under it; a cell that is no longer significant (at the threshold Benjamini–Hochberg set) once
/// the rows of the cells already reported are out goes under the one it overlaps most: each
/// change is reported once, its relatives listed with it.
enum ChangeAnalysisQuery {
    static let defaultDepth = 2
    static let defaultLimit = 10
    /// Rows a cell needs in each period to be tested...
    static let minimumRows = 300.0
    /// ... and, for a proportion, expected events at the period's rate (the normal
    /// approximation of a rare event needs them).
    static let minimumExpectedEvents = 10.0
    static let falseDiscoveryRate = 0.05
    /// A specific cell is kept apart from a general one only when its change differs this much.
    static let separateSpecificZ = 3.0
    /// A general cell is explained by a specific one when the rest of it changed within this of the slice.
    static let explainedZ = 2.0
    /// Relatives listed under a reported cell at most.
    static let maximumRelativesShown = 4

    struct Cell {
        var conditions: [HotspotCondition]
        var before: Moments
        var after: Moments
        var contribution = 0.0
        var rateEffect = 0.0
        var mixEffect = 0.0
        var pValue: Double?
        var qValue = 1.0
    }

    static func supported(_ moments: Moments, rate: Double, kind: HotspotMeasure.Kind) -> Bool {
        guard moments.rows >= minimumRows else { return false }
        return kind == .ratioOfSums || moments.y * min(rate, 1 - rate) >= minimumExpectedEvents
    }

    static func run(_ statement: WhyStatement, engine: QueryEngine, cancellation: Cancellation) throws -> QueryResult {
        let started = DispatchTime.now()
        let catalog = engine.catalog
        try engine.checkCube(statement.cube)
        guard let axis = TimeAxis(catalog: catalog) else {
            throw QueryError("WHY compares periods; cube '\(engine.cube.name)' has no dimension of months", at: statement.range)
        }
        let parts = try engine.ratioParts(of: statement.measure, for: "WHY")
        let before = try PeriodSelection.resolve(statement.before, axis: axis, at: statement.beforeRange)
        let after = try PeriodSelection.resolve(statement.after, axis: axis, at: statement.afterRange)
        if Set(before.monthCodes) == Set(after.monthCodes) {
            throw QueryError("FROM and TO name the same months", at: statement.afterRange)
        }
        if !Set(before.monthCodes).isDisjoint(with: after.monthCodes) {
            throw QueryError("'\(before.label)' and '\(after.label)' overlap; WHY compares two distinct periods", at: statement.afterRange)
        }
        if before.firstMonth > after.firstMonth {
            throw QueryError("FROM '\(before.label)' comes after TO '\(after.label)'", at: statement.beforeRange,
                             hint: "WHY explains the change from an earlier period to a later one: FROM '\(after.label)' TO '\(before.label)'")
        }
        let depth = statement.depth ?? defaultDepth
        guard (1...3).contains(depth) else { throw QueryError("DEPTH must be 1 to 3, not \(depth)", at: statement.range) }
        let limit = statement.limit ?? defaultLimit
        guard limit >= 1 else { throw QueryError("LIMIT must be at least 1", at: statement.range) }
        let timeColumns = Set([axis.month.column])
        let attributes = try HotspotQuery.searchedAttributes(statement.dimensions ?? .all, statement: "WHY", at: statement.range, catalog: catalog)
            .filter { !timeColumns.contains($0.column) }
        guard !attributes.isEmpty else { throw QueryError("WHY needs a dimension other than time to split the change by", at: statement.range) }

        // One scan: both periods, grouped by the dimensions and the month.
        let periods = Expression.inList(.column(axis.month.name),
                                        (before.monthCodes + after.monthCodes).compactMap { axis.month.dictionary.value(of: $0) }.map(Expression.string))
        let filter = statement.filter.map { Expression.binary(.and, $0, periods) } ?? periods
        let moments = try engine.moments(of: parts, by: attributes + [axis.month], filter: filter, cubeName: statement.cube, robust: false,
                                         cancellation: cancellation)
        let beforeMonths = Set(before.monthCodes)
        var beforeCells: [HotspotCell] = [], afterCells: [HotspotCell] = []
        for cell in moments.cells {
            let key = Array(cell.codes.dropLast())
            let value = Moments(rows: cell.rows, x: cell.x, y: cell.y, xx: cell.xx, yy: cell.yy, xy: cell.xy)
            if beforeMonths.contains(cell.codes.last!) { beforeCells.append(HotspotCell(key: key, moments: value)) }
            else { afterCells.append(HotspotCell(key: key, moments: value)) }
        }
        let dimensions = HotspotQuery.dimensions(attributes, definition: catalog.cube.definition)
        let measure = HotspotQuery.measure(statement.measure, parts: parts, catalog: catalog)
        let inputs = [beforeCells, afterCells].map { HotspotInput(dimensions: dimensions, cells: $0, measure: measure) }
        let lattices: [CuboidLattice]
        do {
            lattices = try inputs.map { try CuboidLattice(input: $0, depth: depth, cancellation: cancellation) }
        } catch let error as HotspotError {
            throw QueryError("\(error)", at: statement.range)
        }
        let wholeBefore = lattices[0].whole, wholeAfter = lattices[1].whole
        guard let rateBefore = wholeBefore.ratio else {
            throw QueryError("no rows in '\(before.label)'" + (statement.filter.map { " where \($0)" } ?? ""), at: statement.beforeRange,
                             hint: PeriodSelection.ranges(axis))
        }
        guard let rateAfter = wholeAfter.ratio else {
            throw QueryError("no rows in '\(after.label)'" + (statement.filter.map { " where \($0)" } ?? ""), at: statement.afterRange,
                             hint: PeriodSelection.ranges(axis))
        }
        let total = rateAfter - rateBefore

        // Every cell of every cuboid: its contribution and its test.
        var cells: [Cell] = []
        var tried = 0
        for (index, cuboid) in lattices[0].cuboids.enumerated() {
            try cancellation.check()
            let other = lattices[1].cuboids[index]
            for position in 0..<cuboid.cellCount {
                let old = cuboid.moments[position], new = other.moments[position]
                guard old.rows > 0 || new.rows > 0 else { continue }
                var cell = Cell(conditions: cuboid.conditions(of: position), before: old, after: new)
                let parts = ChangeDecomposition(cellBefore: old, cellAfter: new, wholeBefore: wholeBefore, wholeAfter: wholeAfter)
                cell.rateEffect = parts.rateEffect
                cell.mixEffect = parts.mixEffect
                cell.contribution = parts.contribution
                if supported(old, rate: rateBefore, kind: measure.kind), supported(new, rate: rateAfter, kind: measure.kind),
                   let z = ChangeStatistics.zOfExcessChange(cellBefore: old, cellAfter: new, populationBefore: wholeBefore,
                                                            populationAfter: wholeAfter, kind: measure.kind) {
                    cell.pValue = NormalDistribution.twoSidedPValue(z)
                    tried += 1
                }
                cells.append(cell)
            }
        }
        let tested = cells.indices.filter { cells[$0].pValue != nil }
        for (index, q) in zip(tested, BenjaminiHochberg.qValues(tested.map { cells[$0].pValue! })) { cells[index].qValue = q }
        let candidates = tested.filter { cells[$0].qValue <= falseDiscoveryRate }
        let pThreshold = candidates.map { cells[$0].pValue! }.max() ?? 0

        // Fold relatives. First a general cell whose change one more specific cell explains
        // (the general cell without it changed like the rest) goes under that cell. Then, the
        // strongest change first, each cell is judged without the rows of the cells already
        // reported: a descendant that changed like a reported ancestor, or a cell that changes
        // no more than the rest once the reported rows are out, goes under the reported cell it
        // shares the most rows with.
        let hierarchy = HierarchyImplication(lattices: lattices, dimensions: dimensions)
        func isAncestor(_ general: Int, of specific: Int) -> Bool {
            general != specific && cells[general].conditions.count <= cells[specific].conditions.count
                && hierarchy.implies(cells[specific].conditions, cells[general].conditions)
        }
        var explainedBy: [Int: Int] = [:]
        for general in candidates {
            let specifics = candidates.filter { isAncestor(general, of: $0) }
                .sorted { abs(cells[$0].contribution) > abs(cells[$1].contribution) }
            for specific in specifics {
                let z = ChangeStatistics.zOfExcessChange(
                    cellBefore: cells[general].before - cells[specific].before, cellAfter: cells[general].after - cells[specific].after,
                    populationBefore: wholeBefore - cells[specific].before, populationAfter: wholeAfter - cells[specific].after,
                    kind: measure.kind)
                if z.map({ abs($0) < explainedZ }) ?? true { explainedBy[general] = specific; break }
            }
        }
        let finest = [FinestRows(cells: beforeCells), FinestRows(cells: afterCells)]
        var covered = finest.map { [Bool](repeating: false, count: $0.count) }
        var reported: [Int] = []
        let strongestFirst = candidates.filter { explainedBy[$0] == nil }.sorted { lhs, rhs in
            abs(NormalDistribution.zOfTwoSidedPValue(cells[lhs].pValue!)) > abs(NormalDistribution.zOfTwoSidedPValue(cells[rhs].pValue!))
        }
        for candidate in strongestFirst {
            try cancellation.check()
            if let ancestor = reported.first(where: { isAncestor($0, of: candidate) }) {
                let z = ChangeStatistics.zOfExcessChange(cellBefore: cells[candidate].before, cellAfter: cells[candidate].after,
                                                         populationBefore: cells[ancestor].before, populationAfter: cells[ancestor].after,
                                                         kind: measure.kind)
                if z.map({ abs($0) < separateSpecificZ }) ?? true { explainedBy[candidate] = ancestor; continue }
            }
            if !reported.isEmpty {
                let conditions = cells[candidate].conditions
                let own = (0..<2).map { finest[$0].sum(matching: conditions, excluding: covered[$0]) }
                let rest = (0..<2).map { finest[$0].sum(matching: [], excluding: covered[$0]) }
                let z = ChangeStatistics.zOfExcessChange(cellBefore: own[0], cellAfter: own[1], populationBefore: rest[0],
                                                         populationAfter: rest[1], kind: measure.kind)
                let enough = supported(own[0], rate: rateBefore, kind: measure.kind) && supported(own[1], rate: rateAfter, kind: measure.kind)
                // Still significant without the reported rows, at the threshold the
                // Benjamini–Hochberg step set for every cell tried.
                if !enough || z.map({ NormalDistribution.twoSidedPValue($0) > pThreshold }) ?? true {
                    let overlaps = reported.map { other in
                        (0..<2).reduce(0.0) { $0 + finest[$1].sum(matching: conditions + cells[other].conditions, excluding: nil).rows }
                    }
                    explainedBy[candidate] = reported[overlaps.indices.max { overlaps[$0] < overlaps[$1] }!]
                    continue
                }
            }
            reported.append(candidate)
            for side in 0..<2 { finest[side].mark(matching: cells[candidate].conditions, in: &covered[side]) }
        }
        // Of two reported relatives, the specific one goes under the general one when its change
        // is the general one's (|z| < 3), whichever came out stronger.
        for specific in reported {
            guard let general = reported.first(where: { isAncestor($0, of: specific) && explainedBy[$0] == nil }) else { continue }
            let z = ChangeStatistics.zOfExcessChange(cellBefore: cells[specific].before, cellAfter: cells[specific].after,
                                                     populationBefore: cells[general].before, populationAfter: cells[general].after,
                                                     kind: measure.kind)
            if z.map({ abs($0) < separateSpecificZ }) ?? true { explainedBy[specific] = general }
        }
        reported.removeAll { explainedBy[$0] != nil }
        // A chain (a under b under c) ends at the cell that is reported.
        func reportedRoot(_ cell: Int) -> Int {
            var current = cell, steps = 0
            while let next = explainedBy[current], steps < 8 { current = next; steps += 1 }
            return current
        }
        var relatives: [Int: [Int]] = [:]
        for cell in candidates where explainedBy[cell] != nil { relatives[reportedRoot(cell), default: []].append(cell) }
        let direction: Double = total >= 0 ? 1 : -1
        reported.sort { lhs, rhs in
            let (a, b) = (cells[lhs].contribution * direction, cells[rhs].contribution * direction)
            return a != b ? a > b : cells[lhs].conditions.count < cells[rhs].conditions.count
        }

        let input = inputs[0]
        let format = HotspotQuery.resultFormat(parts.definition?.format)
        let changeFormat: ResultColumn.Format = format == .percent ? .points : format
        let columns = [
            ResultColumn(name: "cell", role: .dimension, format: .text),
            ResultColumn(name: "before", role: .measure, format: format),
            ResultColumn(name: "after", role: .measure, format: format),
            ResultColumn(name: "change", role: .measure, format: changeFormat),
            ResultColumn(name: "contribution", role: .measure, format: changeFormat),
            ResultColumn(name: "rate_effect", role: .measure, format: changeFormat),
            ResultColumn(name: "mix_effect", role: .measure, format: changeFormat),
            ResultColumn(name: "rows_before", role: .measure, format: .count),
            ResultColumn(name: "rows_after", role: .measure, format: .count),
            ResultColumn(name: "q", role: .measure, format: .significance),
            ResultColumn(name: "also", role: .dimension, format: .text),
        ]
        func value(_ ratio: Double?) -> ResultValue { ratio.map(ResultValue.double) ?? .null }
        let rows = reported.prefix(limit).map { index -> [ResultValue] in
            let cell = cells[index]
            let change: ResultValue = (cell.before.ratio != nil && cell.after.ratio != nil) ? .double(cell.after.ratio! - cell.before.ratio!) : .null
            let related = (relatives[index] ?? []).sorted { abs(cells[$0].contribution) > abs(cells[$1].contribution) }
                .map { input.describe(cells[$0].conditions) }
            var also = related.prefix(maximumRelativesShown).joined(separator: "; ")
            if related.count > maximumRelativesShown { also += "; and \(related.count - maximumRelativesShown) more" }
            return [.text(input.describe(cell.conditions)), value(cell.before.ratio), value(cell.after.ratio), change,
                    .double(cell.contribution), .double(cell.rateEffect), .double(cell.mixEffect),
                    .integer(Int64(cell.before.rows)), .integer(Int64(cell.after.rows)), .double(cell.qValue), .text(also)]
        }
        let name = parts.definition?.name ?? "\(statement.measure)"
        func shown(_ value: Double) -> String { format == .percent ? String(format: "%.2f%%", value * 100) : String(format: "%.4g", value) }
        let signedTotal = format == .percent ? String(format: "%+.2f points", total * 100) : String(format: "%+.4g", total)
        var caption = "\(name) went from \(shown(rateBefore)) in \(before.label) to \(shown(rateAfter)) in \(after.label): \(signedTotal). "
        caption += "\(Thousands.grouped(tried)) cell\(tried == 1 ? "" : "s") of depth 1 to \(depth) tested over \(attributes.map(\.name).joined(separator: ", ")); "
        caption += reported.isEmpty ? "none changed significantly more than the rest of the slice"
            : "\(reported.count) changed more than the rest of the slice" + (reported.count > limit ? " (\(limit) shown)" : "")
        caption += ". The contributions of the cells of one dimension add up to the total change. "
            + String(format: "%.1f ms", Double(DispatchTime.now().uptimeNanoseconds - started.uptimeNanoseconds) / 1e6)
        var result = QueryResult(columns: columns, rows: rows, text: caption, details: [
            ResultDetail(name: "before", value: .double(rateBefore)), ResultDetail(name: "after", value: .double(rateAfter)),
            ResultDetail(name: "total_change", value: .double(total)), ResultDetail(name: "cells_tested", value: .integer(Int64(tried))),
            ResultDetail(name: "cells_reported", value: .integer(Int64(reported.count))),
        ])
        result.warnings = moments.warnings
        return result
    }
}
