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

/// Per cell of a grouping: rows and the moments Σx, Σy, Σx², Σy², Σxy of a ratio measure.
package struct MomentTable: Sendable {
    package struct Cell: Sendable {
        package var codes: [UInt32]
        package var rows: Double
        package var x, y, xx, yy, xy: Double
    }

    package var attributes: [GroupAttribute]
    package var cells: [Cell]
    package var rowsScanned: Int
    package var rowsMatched: Int
    package var rowGroupsSkipped: Int
    package var rowGroups: Int
    package var milliseconds: Double
    /// Conditions of the filter that match nothing for a value that is no member.
    package var warnings: [Diagnostic]
}

extension QueryEngine {
    /// Splits a measure (a named measure or an expression) into row-level numerator and
    /// denominator: `SUM(a) / COUNT(*)`, `(SUM(a) - SUM(b)) / SUM(c)`, `AVG(a)`. A name that is
    /// not such a measure is refused with the names that are.
    package func ratioParts(of measure: Expression) throws -> RatioParts {
        guard case let .column(identifier) = measure.kind else { return try decompose(measure) }
        let accepted = "HOTSPOTS takes a ratio measure: " + ratioMeasureNames.joined(separator: ", ")
        switch catalog.resolve(identifier.name) {
        case nil:
            throw catalog.unknownName(identifier, expected: "measure")
        case let .measure(found, parsed)?:
            if case let .semiAdditive(over) = found.additivity {
                throw QueryError("'\(found.name)' is semi-additive: a level over \(over) (the last \(over)'s value in each cell), not a rate",
                                 at: identifier.range, hint: accepted)
            }
            do {
                return try decompose(measure)
            } catch {
                throw QueryError("'\(found.name)' (\(parsed)) is not a ratio of sums", at: identifier.range, hint: accepted)
            }
        default:
            throw QueryError("'\(identifier.name)' is not a measure", at: identifier.range, hint: accepted)
        }
    }

    /// The cube's named measures HOTSPOTS can judge: ratios of sums, not semi-additive levels.
    package var ratioMeasureNames: [String] {
        catalog.cube.definition.measures.compactMap { measure in
            if case .semiAdditive = measure.additivity { return nil }
            return (try? decompose(Expression(.column(Identifier(measure.name))))) != nil ? measure.name : nil
        }
    }

    private func decompose(_ measure: Expression) throws -> RatioParts {
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
        func linear(_ expression: Expression) throws -> RowExpression {
            switch expression.kind {
            case let .function(call) where call.name.normalized == "count" && call.arguments == .star:
                return .constant(1)
            case let .function(call) where call.name.normalized == "sum" && call.argumentList.count == 1:
                return try binder.bindRow(call.argumentList[0], function: "SUM")
            case let .function(call) where call.name.normalized == "count" && call.argumentList.count == 1:
                if case .distinct = call.arguments { break }
                // NULL rows drop out of SUM, so c * 0 + 1 counts exactly the non-NULL rows.
                let value = try binder.bindRow(call.argumentList[0], function: "COUNT")
                return .arithmetic(.add, .arithmetic(.multiply, value, .constant(0)), .constant(1))
            case let .binary(op, left, right) where op == .add || op == .subtract:
                return .arithmetic(op, try linear(left), try linear(right))
            case let .binary(.multiply, left, right):
                if case let .constant(factor) = try? binder.bindRow(left, function: "*") { return .arithmetic(.multiply, .constant(factor), try linear(right)) }
                if case let .constant(factor) = try? binder.bindRow(right, function: "*") { return .arithmetic(.multiply, try linear(left), .constant(factor)) }
            default: break
            }
            throw QueryError("HOTSPOTS needs a ratio of sums such as SUM(x) / SUM(y) or SUM(x) / COUNT(*); '\(expression)' is not a sum",
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
            throw QueryError("HOTSPOTS judges ratio measures (SUM(x) / SUM(y), SUM(x) / COUNT(*), AVG(x)); '\(formula)' is not one",
                             at: measure.range)
        }
        var isProportion = false
        if case let .column(_, name, _) = numerator, case .constant(1) = denominator,
           case let .fact(_, fact)? = catalog.resolve(name), fact.kind == .flag {
            isProportion = true
        }
        return RatioParts(numerator: numerator, denominator: denominator, isProportion: isProportion, definition: definition)
    }

    /// One scan grouped by `attributes` collecting the moments of a ratio measure per cell.
    package func moments(of parts: RatioParts, by attributes: [GroupAttribute], filter: Expression?, cubeName: Identifier?,
                         cancellation: Cancellation) throws -> MomentTable {
        try moments(of: [parts], by: attributes, filter: filter, cubeName: cubeName, cancellation: cancellation)[0]
    }

    /// A SELECT's result and, from the same scan, the moments of ratio measures per finest group
    /// (the cells' codes follow the tables' `attributes`, the SELECT's grouping attributes).
    package func select(_ select: SelectStatement, withMomentsOf measures: [RatioParts],
                        cancellation: Cancellation) throws -> (QueryResult, [MomentTable]) {
        var binder = SelectBinder(catalog: catalog)
        guard case var .aggregate(query) = try binder.bind(select) else {
            throw QueryError("moments need a SELECT that aggregates", at: select.range)
        }
        let base = query.aggregates.count
        for parts in measures {
            query.aggregates += [.sum(parts.numerator), .sum(parts.denominator),
                                 .secondMoments(.approximate(parts.numerator), .approximate(parts.denominator))]
        }
        let attributes = query.keys.map { catalog.attributes[$0] }
        var tables: [MomentTable] = []
        var executor = AggregateExecutor(catalog: catalog, query: query)
        executor.finestObserver = { finest in
            let slots = finest.occupiedSlots
            let codes = slots.map { finest.codes(ofKey: finest.key(ofSlot: $0)) }
            func sum(_ index: Int, _ slot: Int) -> Double { finest.aggregates[index].doubleValue(slot: slot, rows: finest.rows[slot]) ?? 0 }
            tables = measures.indices.map { measure in
                let first = base + 3 * measure
                let second = finest.aggregates[first + 2] as! SecondMomentsAggregate
                let cells = zip(slots, codes).map { slot, codes in
                    let (xx, yy, xy) = second.moments(slot: slot)
                    return MomentTable.Cell(codes: codes, rows: Double(finest.rows[slot]), x: sum(first, slot), y: sum(first + 1, slot),
                                            xx: xx, yy: yy, xy: xy)
                }
                return MomentTable(attributes: attributes, cells: cells, rowsScanned: 0, rowsMatched: 0, rowGroupsSkipped: 0,
                                   rowGroups: 0, milliseconds: 0, warnings: [])
            }
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
        return (result, tables)
    }

    /// One scan grouped by `attributes` collecting the moments of several ratio measures per
    /// cell: a table per measure, in order, with the same cells.
    package func moments(of measures: [RatioParts], by attributes: [GroupAttribute], filter: Expression?, cubeName: Identifier?,
                         cancellation: Cancellation) throws -> [MomentTable] {
        if let cube = cubeName, cube.normalized != self.cube.name.lowercased() {
            throw QueryError("unknown cube '\(cube.name)'", at: cube.range, hint: "the open cube is '\(self.cube.name)'")
        }
        var predicateBinder = PredicateBinder(catalog: catalog)
        let predicate = try filter.map { try predicateBinder.bind($0) }
        // Second moments need no exactness (squares of money could pass 64 bits): one pass in
        // floating point.
        let specs: [AggregateSpec] = measures.flatMap { parts -> [AggregateSpec] in
            let x = parts.numerator, y = parts.denominator
            return [.sum(x), .sum(y), .secondMoments(.approximate(x), .approximate(y))]
        }
        let started = DispatchTime.now()
        let scan = AggregationScan(store: cube.store, catalog: catalog, filter: predicate, keyAttributes: attributes, specs: specs)
        let (aggregation, statistics) = try scan.run(cancellation: cancellation)
        func sum(_ index: Int, _ slot: Int) -> Double {
            aggregation.aggregates[index].doubleValue(slot: slot, rows: aggregation.rows[slot]) ?? 0
        }
        let slots = aggregation.occupiedSlots
        let codes = slots.map { aggregation.codes(ofKey: aggregation.key(ofSlot: $0)) }
        let elapsed = milliseconds(since: started)
        return measures.indices.map { measure in
            let base = measure * 3
            let second = aggregation.aggregates[base + 2] as! SecondMomentsAggregate
            let cells = zip(slots, codes).map { slot, codes in
                let (xx, yy, xy) = second.moments(slot: slot)
                return MomentTable.Cell(codes: codes, rows: Double(aggregation.rows[slot]), x: sum(base, slot), y: sum(base + 1, slot),
                                        xx: xx, yy: yy, xy: xy)
            }
            return MomentTable(attributes: attributes, cells: cells, rowsScanned: statistics.rowsScanned, rowsMatched: statistics.rowsMatched,
                               rowGroupsSkipped: statistics.rowGroupsSkipped, rowGroups: statistics.rowGroups,
                               milliseconds: elapsed, warnings: predicateBinder.warnings)
        }
    }
}

import Dispatch
