import ChurnArrow
import ChurnStorage
import Dispatch

/// Runs a compiled grouped aggregation on the remote engine and turns its rows into one
/// `GroupedAggregation` per grouping set, keyed by the cube's member codes, so that HAVING,
/// ORDER BY, LIMIT and the outputs run exactly as on the in-memory store.
struct RemoteGrouping {
    let connection: any SQLConnection
    let sql: AggregateSQL
    /// Sent instead of the main statement: one that gives the same columns (and, named in
    /// `extraColumns`, more) for one grouping set.
    var mainStatement: String?
    /// Double columns read beside the aggregates, per row, into `Outcome.extras`.
    var extraColumns: [String] = []

    init(connection: any SQLConnection, sql: AggregateSQL, mainStatement: String? = nil, extraColumns: [String] = []) {
        self.connection = connection
        self.sql = sql
        self.mainStatement = mainStatement
        self.extraColumns = extraColumns
    }

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
        /// Per row of the answer: its slot in the first grouping, and the values of
        /// `extraColumns` (NULL as 0), column by column.
        var extraSlots: [Int] = []
        var extras: [[Double]] = []
    }

    func run(cancellation: Cancellation) throws -> Outcome {
        let started = DispatchTime.now()
        let aggregations = try sql.groupingSets.map { set in try makeAggregation(set) }
        let statement = mainStatement ?? sql.mainStatement
        var statements = [statement]
        var resultRows = 0
        let main = try connection.run(statement, cancellation: cancellation)
        var extraSlots: [Int] = []
        var extras = extraColumns.map { _ in [Double]() }
        try fill(main, into: aggregations, lastPeriod: false, resultRows: &resultRows, extraSlots: &extraSlots, extras: &extras)
        if let lastPeriod = sql.lastPeriodStatement {
            statements.append(lastPeriod)
            var ignored = 0, noSlots: [Int] = [], noExtras: [[Double]] = []
            try fill(try connection.run(lastPeriod, cancellation: cancellation), into: aggregations, lastPeriod: true, resultRows: &ignored,
                     extraSlots: &noSlots, extras: &noExtras)
        }
        var matched = 0
        if let finest = sql.groupingSets.firstIndex(where: { $0.count == sql.keys.count }) ?? sql.groupingSets.indices.first {
            matched = Int(aggregations[finest].rows.reduce(0, +))
        }
        return Outcome(aggregations: aggregations, statements: statements, resultRows: resultRows, rowsMatched: matched,
                       milliseconds: milliseconds(since: started), extraSlots: extraSlots, extras: extras)
    }

    private func makeAggregation(_ set: [Int]) throws -> GroupedAggregation {
        try Self.aggregation(specs: sql.specs, radices: set.map { sql.keys[$0].codeCount })
    }

    /// An empty grouping whose aggregates take values computed remotely: row counts and second
    /// moments keep their own kinds (the statistics read them as such), the rest are assigned.
    static func aggregation(specs: [AggregateSpec], radices: [Int]) throws -> GroupedAggregation {
        let aggregates: [any GroupedAggregate] = specs.map { spec in
            switch spec {
            case .countRows: return CountRowsAggregate()
            case let .secondMoments(x, y): return SecondMomentsAggregate(x: x, y: y)
            default: return RemoteAggregate(spec: spec)
            }
        }
        return try GroupedAggregation(specs: specs, radices: radices, aggregates: aggregates)
    }

    private func fill(_ stream: ArrowStream, into aggregations: [GroupedAggregation], lastPeriod: Bool, resultRows: inout Int,
                      extraSlots: inout [Int], extras: inout [[Double]]) throws {
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
        let extraPositions = lastPeriod ? [] : try extraColumns.map(position)
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
        // Looked up once rather than per row: each aggregation's aggregates by spec, and the
        // scale of each spec's exact input.
        let remoteAggregates = aggregations.map { aggregation in aggregation.aggregates.map { $0 as? RemoteAggregate } }
        let momentAggregates = aggregations.map { aggregation in aggregation.aggregates.map { $0 as? SecondMomentsAggregate } }
        let scales = sql.specs.map(\.inputExactScale)
        let momentSpecs = Array(Set(sql.parts.compactMap { part -> Int? in
            if case let .moment(spec, _) = part { return spec }
            return nil
        })).sorted()
        var moments = [SIMD3<Double>](repeating: .zero, count: sql.specs.count)
        let lookups = parallelMap(sql.keys.count) { MemberLookup(values: sql.keys[$0].dictionary.values) }
        for batch in stream.batches {
            resultRows += batch.rowCount
            // A column per core: looking members up is most of the time spent on an answer.
            let keyCodes = try parallelMap(sql.keys.count) { position in
                try memberCodes(batch.columns[keyColumns[position]], rows: batch.rowCount, of: sql.keys[position], in: lookups[position])
            }
            let parts = partColumns.map { batch.columns[$0] }
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
                    if !extraPositions.isEmpty, setIndex == 0 {
                        extraSlots.append(slot)
                        for (index, column) in extraPositions.enumerated() {
                            extras[index].append(ArrowCell(column: batch.columns[column], row: row).double ?? 0)
                        }
                    }
                    if let countColumn {
                        aggregation.rows[slot] = ArrowCell(column: batch.columns[countColumn], row: row).integer ?? 0
                        for (part, column) in zip(sql.parts, parts) {
                            let cell = ArrowCell(column: column, row: row)
                            switch part {
                            case let .moment(spec, component):
                                moments[spec][component] = cell.double ?? 0
                            case let .value(spec):
                                guard let aggregate = remoteAggregates[setIndex][spec] else { continue }
                                do {
                                    aggregate.assign(try value(of: sql.specs[spec], scale: scales[spec], cell), slot: slot)
                                } catch let error as PastRange {
                                    aggregate.assignPastRange(error.error, slot: slot)
                                }
                            }
                        }
                        for spec in momentSpecs {
                            let sums = moments[spec]
                            momentAggregates[setIndex][spec]?.assign(slot: slot, xx: sums[0], yy: sums[1], xy: sums[2])
                            moments[spec] = .zero
                        }
                    } else {
                        for (position, specIndex) in sql.lastPeriodSpecs.enumerated() {
                            guard case let .lastSum(input, _) = sql.specs[specIndex], let aggregate = remoteAggregates[setIndex][specIndex] else { continue }
                            do {
                                aggregate.assign(try ArrowCell(column: parts[position], row: row).value(exact: scales[specIndex]) { _ in
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

    /// `scale` is the exact scale of the spec's input (nil: floating point), as `inputExactScale` gives.
    private func value(of spec: AggregateSpec, scale: Int?, _ cell: ArrowCell) throws -> ResultValue {
        switch spec {
        case .count, .countAttribute, .countDistinct, .countRows:
            guard let count = cell.integer else { return cell.isNull ? .integer(0) : .null }
            return .integer(count)
        case let .sum(input), let .lastSum(input, _):
            return try cell.value(exact: scale) { sum in
                PastRange(error: ExactSumAggregate.pastSixtyFourBits(input, sum: sum, scale: scale ?? 0))
            }
        case let .min(input), let .max(input):
            return try cell.value(exact: scale) { _ in ExpressionEvaluator.overflow(input) }
        case .minAttribute, .maxAttribute:
            return cell.text.map(ResultValue.text) ?? .null
        case .secondMoments:
            return .null
        }
    }

    /// The member code of each row of a key column (0 for NULL), looked up by the value's bytes
    /// as the dictionary tells members apart (`Zürich` composed and decomposed are two); a value
    /// the cube's members lack means the table changed since the cube was opened.
    private func memberCodes(_ column: ArrowColumn, rows: Int, of attribute: GroupAttribute, in lookup: MemberLookup) throws -> [UInt32] {
        try (0..<rows).map { row in
            guard let text = ArrowCell(column: column, row: row).text else { return 0 }
            return try lookup.code(of: text, of: attribute, in: connection.table)
        }
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

extension AggregateSpec {
    /// The exact scale of the expression the aggregate reads; nil when it reads none or reads
    /// floating point.
    var inputExactScale: Int? {
        switch self {
        case let .sum(input), let .lastSum(input, _), let .min(input), let .max(input): return input.exactScale
        default: return nil
        }
    }
}
