import ChurnArrow
import Dispatch

/// Runs a compiled grouped aggregation on the remote engine and turns its rows into one
/// `GroupedAggregation` per grouping set, keyed by the cube's member codes, so that HAVING,
/// ORDER BY, LIMIT and the outputs run exactly as on the in-memory store.
struct RemoteGrouping {
    let connection: any SQLConnection
    let sql: AggregateSQL

    struct Outcome {
        var aggregations: [GroupedAggregation]
        /// The statements sent, in order, for EXPLAIN.
        var statements: [String]
        /// Rows the engine returned (groups of every set).
        var resultRows: Int
        /// Fact rows that passed the filter (the grand total's count when a set has no keys,
        /// else the finest set's counts added up).
        var rowsMatched: Int
        var milliseconds: Double
    }

    func run(cancellation: Cancellation) throws -> Outcome {
        let started = DispatchTime.now()
        let aggregations = try sql.groupingSets.map { set in try makeAggregation(set) }
        var statements = [sql.mainStatement]
        var resultRows = 0
        let main = try connection.run(sql.mainStatement, cancellation: cancellation)
        try fill(main, into: aggregations, lastPeriod: false, resultRows: &resultRows)
        if let lastPeriod = sql.lastPeriodStatement {
            statements.append(lastPeriod)
            var ignored = 0
            try fill(try connection.run(lastPeriod, cancellation: cancellation), into: aggregations, lastPeriod: true, resultRows: &ignored)
        }
        var matched = 0
        if let finest = sql.groupingSets.firstIndex(where: { $0.count == sql.keys.count }) ?? sql.groupingSets.indices.first {
            matched = Int(aggregations[finest].rows.reduce(0, +))
        }
        return Outcome(aggregations: aggregations, statements: statements, resultRows: resultRows, rowsMatched: matched,
                       milliseconds: milliseconds(since: started))
    }

    private func makeAggregation(_ set: [Int]) throws -> GroupedAggregation {
        let aggregates: [any GroupedAggregate] = sql.specs.map { spec in
            switch spec {
            case .countRows: return CountRowsAggregate()
            case let .secondMoments(x, y): return SecondMomentsAggregate(x: x, y: y)
            default: return RemoteAggregate(spec: spec)
            }
        }
        return try GroupedAggregation(specs: sql.specs, radices: set.map { sql.keys[$0].codeCount }, aggregates: aggregates)
    }

    private func fill(_ stream: ArrowStream, into aggregations: [GroupedAggregation], lastPeriod: Bool, resultRows: inout Int) throws {
        let fields = stream.schema.fields.map(\.name)
        func position(_ name: String) throws -> Int {
            guard let index = fields.firstIndex(of: name) else {
                throw QueryError("the remote engine's answer has no column \(name) (it has \(fields.joined(separator: ", ")))", at: .synthesized)
            }
            return index
        }
        let keyColumns = try sql.keys.indices.map { try position(AggregateSQL.keyAlias($0)) }
        let idColumn = sql.hasGroupingID ? try position("g") : nil
        let countColumn = lastPeriod ? nil : try position("n")
        // Sets by grouping id; the last-period statement's id has the period as its lowest bit.
        var setsByID: [Int64: [Int]] = [:]
        for (index, set) in sql.groupingSets.enumerated() {
            setsByID[sql.groupingID(of: set) << (lastPeriod ? 1 : 0), default: []].append(index)
        }
        let partColumns = lastPeriod
            ? try sql.lastPeriodSpecs.indices.map { try position("l\($0)") }
            : try sql.parts.map { part -> Int in
                switch part {
                case let .value(spec): return try position("v\(spec)")
                case let .moment(spec, component): return try position("m\(spec)_\(component)")
                }
            }
        for batch in stream.batches {
            resultRows += batch.rowCount
            let keyCodes = try sql.keys.indices.map { position in
                try memberCodes(batch.columns[keyColumns[position]], rows: batch.rowCount, of: sql.keys[position])
            }
            for row in 0..<batch.rowCount {
                let sets: [Int]
                if let idColumn {
                    guard let id = ArrowCell(column: batch.columns[idColumn], row: row).integer, let found = setsByID[id] else {
                        throw QueryError("the remote engine returned a row of no grouping set asked for", at: .synthesized)
                    }
                    sets = found
                } else {
                    sets = Array(sql.groupingSets.indices)
                }
                for setIndex in sets {
                    let aggregation = aggregations[setIndex]
                    var key: UInt64 = 0
                    for (index, position) in sql.groupingSets[setIndex].enumerated() {
                        key = key &* UInt64(aggregation.radices[index]) &+ UInt64(keyCodes[position][row])
                    }
                    let slot = Int(aggregation.slot(forKey: key))
                    if let countColumn {
                        aggregation.rows[slot] = ArrowCell(column: batch.columns[countColumn], row: row).integer ?? 0
                        try assignParts(batch, row: row, columns: partColumns, aggregation: aggregation, slot: slot)
                    } else {
                        for (position, specIndex) in sql.lastPeriodSpecs.enumerated() {
                            guard case let .lastSum(input, _) = sql.specs[specIndex], let aggregate = aggregation.aggregates[specIndex] as? RemoteAggregate else { continue }
                            let cell = ArrowCell(column: batch.columns[partColumns[position]], row: row)
                            do {
                                aggregate.assign(try cell.value(exact: input.exactScale) { _ in
                                    PastRange(error: QueryError("the last-period SUM(\(input)) exceeds the range of 64-bit integers", at: .synthesized))
                                }, slot: slot)
                            } catch let error as PastRange {
                                aggregate.assignPastRange(error.error, slot: slot)
                            }
                        }
                    }
                }
            }
        }
    }

    private func assignParts(_ batch: ArrowRecordBatch, row: Int, columns: [Int], aggregation: GroupedAggregation, slot: Int) throws {
        var moments: [Int: [Double]] = [:]
        for (part, column) in zip(sql.parts, columns) {
            let cell = ArrowCell(column: batch.columns[column], row: row)
            switch part {
            case let .moment(spec, component):
                moments[spec, default: [0, 0, 0]][component] = cell.double ?? 0
            case let .value(spec):
                guard let aggregate = aggregation.aggregates[spec] as? RemoteAggregate else { continue }
                do {
                    aggregate.assign(try value(of: sql.specs[spec], cell), slot: slot)
                } catch let error as PastRange {
                    aggregate.assignPastRange(error.error, slot: slot)
                }
            }
        }
        for (spec, sums) in moments {
            (aggregation.aggregates[spec] as? SecondMomentsAggregate)?.assign(slot: slot, xx: sums[0], yy: sums[1], xy: sums[2])
        }
    }

    private func value(of spec: AggregateSpec, _ cell: ArrowCell) throws -> ResultValue {
        switch spec {
        case .count, .countAttribute, .countDistinct, .countRows:
            guard let count = cell.integer else { return cell.isNull ? .integer(0) : .null }
            return .integer(count)
        case let .sum(input), let .lastSum(input, _):
            return try cell.value(exact: input.exactScale) { sum in
                PastRange(error: ExactSumAggregate.pastSixtyFourBits(input, sum: sum, scale: input.exactScale ?? 0))
            }
        case let .min(input), let .max(input):
            return try cell.value(exact: input.exactScale) { _ in ExpressionEvaluator.overflow(input) }
        case .minAttribute, .maxAttribute:
            return cell.text.map(ResultValue.text) ?? .null
        case .secondMoments:
            return .null
        }
    }

    /// The member code of each row of a key column (0 for NULL), looked up by the value's bytes
    /// as the dictionary tells members apart (`Zürich` composed and decomposed are two); a value
    /// the cube's members lack means the table changed since the cube was opened.
    private func memberCodes(_ column: ArrowColumn, rows: Int, of attribute: GroupAttribute) throws -> [UInt32] {
        try (0..<rows).map { row in
            guard let text = ArrowCell(column: column, row: row).text else { return 0 }
            return try code(of: text, attribute)
        }
    }

    private func code(of text: String, _ attribute: GroupAttribute) throws -> UInt32 {
        guard let code = attribute.dictionary.code(of: text) else {
            throw QueryError("the table \(connection.table) has \(attribute.name) = '\(text)', which it did not have when the cube was opened",
                             at: .synthesized, hint: "open the cube again to read its members anew")
        }
        return code
    }
}

/// An exact aggregate past 64 bits, kept for its slot until the grouping is checked.
private struct PastRange: Error {
    var error: QueryError
}

extension RowExpression {
    /// The scale of an exact expression; nil for floating point.
    var exactScale: Int? {
        if case let .exact(scale) = valueType { return scale }
        return nil
    }
}
