import ChurnStorage
import Dispatch

/// What happened while running a query, for EXPLAIN.
struct ExecutionProfile {
    var scan = ScanStatistics()
    var strategy = ""
    /// Memory of the finest grouping's states and key table.
    var groupingBytes = 0
    var finestGroups = 0
    var setDerivations: [String] = []
    /// How ORDER BY ... LIMIT ran: a top-n selection or a full sort.
    var ordering = ""
    var rowsOut = 0
    var scanMilliseconds = 0.0
    var totalMilliseconds = 0.0
    /// Set when a remote engine ran the aggregation.
    var remote: RemoteProfile?
}

/// What a remote engine was sent, for EXPLAIN.
package struct RemoteProfile: Sendable {
    package var location: String
    package var statements: [String]
    package var resultRows: Int
}

/// Runs an aggregate query: one scan into the finest grouping, then every grouping set derived
/// from it by merging partial states (no rescans), then HAVING, ORDER BY (a top-n selection
/// under LIMIT) and outputs, computed only for the rows returned.
struct AggregateExecutor {
    let catalog: CubeCatalog
    let query: AggregateQuery
    /// Sees the finest grouping right after the scan (a client reading states the outputs do not
    /// show, such as hidden moments).
    var finestObserver: ((GroupedAggregation) -> Void)? = nil

    /// One group of one grouping set, before its outputs are computed.
    private struct Candidate {
        /// Index into the grouping sets' aggregations, and the group's slot there.
        var set: Int
        var slot: Int
        /// The group's key values in ascending order (NULL last): the order without ORDER BY,
        /// and how ORDER BY breaks ties.
        var rank: UInt64
    }

    func run(cancellation: Cancellation, profile: inout ExecutionProfile) throws -> QueryResult {
        let started = DispatchTime.now()
        let aggregations = try catalog.connection.map { try remoteAggregations($0, cancellation: cancellation, profile: &profile) }
            ?? localAggregations(cancellation: cancellation, profile: &profile, started: started)
        var candidates: [Candidate] = []
        for (setIndex, set) in query.groupingSets.enumerated() {
            if cancellation.isCancelled { throw QueryError.cancelled }
            let aggregation = aggregations[setIndex]
            let ranking = GroupRanking(catalog: catalog, attributes: set.map { query.keys[$0] })
            var slots = aggregation.occupiedSlots
            // The grand total exists even over no rows, as in SQL.
            if set.isEmpty && slots.isEmpty { slots = [Int(aggregation.slot(forKey: 0))] }
            var codes = [UInt32](repeating: 0, count: set.count)
            candidates.reserveCapacity(candidates.count + slots.count)
            for slot in slots {
                aggregation.codes(ofKey: aggregation.key(ofSlot: slot), into: &codes)
                candidates.append(Candidate(set: setIndex, slot: slot, rank: ranking.rank(codes)))
            }
        }
        // Per set: each query key's position in the set's combined key, -1 when rolled up.
        let setPositions = query.groupingSets.map { set in
            query.keys.indices.map { position in set.firstIndex(of: position) ?? -1 }
        }
        func groupRow(_ candidate: Candidate) -> GroupRow {
            GroupRow(aggregation: aggregations[candidate.set], slot: candidate.slot, setPositions: setPositions[candidate.set])
        }

        let evaluator = OutputEvaluator(catalog: catalog, keys: query.keys, specs: query.aggregates)
        if let having = query.having {
            candidates.removeAll { evaluator.evaluate(having, row: groupRow($0)) != .boolean(true) }
        }
        let selected = order(candidates, aggregations: aggregations, evaluator: evaluator, groupRow: groupRow, profile: &profile)
        var rows = selected.map { candidate in
            let row = groupRow(candidate)
            return query.outputs.map { evaluator.evaluate($0.expression, row: row) }
        }
        let visible = query.outputs.indices.filter { !query.outputs[$0].hidden }
        if visible.count != query.outputs.count { rows = rows.map { row in visible.map { row[$0] } } }
        profile.rowsOut = rows.count
        profile.totalMilliseconds = milliseconds(since: started)
        return QueryResult(columns: visible.map { query.outputs[$0].column }, rows: rows)
    }

    /// One scan into the finest grouping, then every other grouping set merged from its states.
    private func localAggregations(cancellation: Cancellation, profile: inout ExecutionProfile,
                                   started: DispatchTime) throws -> [GroupedAggregation] {
        let scan = AggregationScan(store: catalog.cube.store, catalog: catalog, filter: query.filter,
                                   keyAttributes: query.keys.map { catalog.attributes[$0] }, specs: query.aggregates)
        let (finest, statistics) = try scan.run(cancellation: cancellation)
        try finest.checkRepresentable()
        finestObserver?(finest)
        profile.scan = statistics
        profile.scanMilliseconds = milliseconds(since: started)
        profile.groupingBytes = finest.byteCount
        profile.strategy = finest.isDense
            ? "dense arrays indexed by code (\(Thousands.grouped(finest.slotCount)) slots)"
            : "open-addressing hash table on combined codes"
        let finestSlots = finest.occupiedSlots
        profile.finestGroups = finestSlots.count
        let allPositions = Array(query.keys.indices)
        return try query.groupingSets.map { set in
            if cancellation.isCancelled { throw QueryError.cancelled }
            let names = set.map { catalog.attributes[query.keys[$0]].name }
            if set == allPositions {
                profile.setDerivations.append("(\(names.joined(separator: ", "))): the scan's grouping")
                return finest
            }
            let radices = set.map { catalog.attributes[query.keys[$0]].codeCount }
            let aggregation = try GroupedAggregation(sameFunctionsAs: finest, radices: radices)
            var codes = [UInt32](repeating: 0, count: query.keys.count)
            for slot in finestSlots {
                finest.codes(ofKey: finest.key(ofSlot: slot), into: &codes)
                var key: UInt64 = 0
                for (index, position) in set.enumerated() { key = key &* UInt64(radices[index]) &+ UInt64(codes[position]) }
                aggregation.merge(finest, slot: slot, into: Int(aggregation.slot(forKey: key)))
            }
            try aggregation.checkRepresentable()
            profile.setDerivations.append("(\(names.joined(separator: ", "))): \(finestSlots.count) finest groups merged into \(aggregation.occupiedSlots.count)")
            return aggregation
        }
    }

    /// Every grouping set computed by the remote engine in one GROUPING SETS statement (and one
    /// more for last-period sums).
    private func remoteAggregations(_ connection: any SQLConnection, cancellation: Cancellation,
                                    profile: inout ExecutionProfile) throws -> [GroupedAggregation] {
        let sql = try AggregateSQL(dialect: connection.dialect, table: connection.table, catalog: catalog, filter: query.filter,
                                   keys: query.keys.map { catalog.attributes[$0] }, groupingSets: query.groupingSets, specs: query.aggregates)
        let outcome = try RemoteGrouping(connection: connection, sql: sql).run(cancellation: cancellation)
        // The finest grouping first, as the in-memory path checks its scan before what it derives.
        let finest = query.groupingSets.firstIndex(of: Array(query.keys.indices))
        if let finest { try outcome.aggregations[finest].checkRepresentable() }
        for (index, aggregation) in outcome.aggregations.enumerated() where index != finest { try aggregation.checkRepresentable() }
        if let finest { finestObserver?(outcome.aggregations[finest]) }
        profile.remote = RemoteProfile(location: connection.location, statements: outcome.statements, resultRows: outcome.resultRows)
        profile.scan.rowsMatched = outcome.rowsMatched
        profile.scanMilliseconds = outcome.milliseconds
        profile.finestGroups = outcome.resultRows
        return outcome.aggregations
    }

    /// The groups to return, in order, after OFFSET and LIMIT. Only ORDER BY's outputs are
    /// computed for every group; under LIMIT a bounded heap keeps the first offset + limit.
    private func order(_ allCandidates: [Candidate], aggregations: [GroupedAggregation], evaluator: OutputEvaluator,
                       groupRow: (Candidate) -> GroupRow, profile: inout ExecutionProfile) -> [Candidate] {
        let offset = max(0, query.offset)
        let wanted = ResultOrdering.rowsThrough(limit: query.limit, offset: query.offset)
        var candidates = allCandidates
        if let wanted, wanted < candidates.count / 2, let first = query.order.first,
           case let .aggregate(index) = query.outputs[first.output].expression,
           let screened = Self.screen(candidates, aggregations: aggregations, aggregate: index,
                                      descending: first.descending, wanted: wanted) {
            profile.ordering = "top-\(Thousands.grouped(wanted)) of \(Thousands.grouped(candidates.count)) groups, "
                + "\(Thousands.grouped(screened.count)) ranked exactly after a floating-point screen"
            candidates = screened
        }
        func tieBreak(_ a: Candidate, _ b: Candidate) -> Bool { (a.set, a.rank) < (b.set, b.rank) }
        var ordered: [Candidate]
        if query.order.isEmpty {
            ordered = candidates.sorted(by: tieBreak)
        } else {
            let width = query.order.count
            // A key orders by its value's rank, which sorts as its text does, without making the text.
            let keyRanks: [[UInt32]?] = query.order.map { item in
                if case let .key(position) = query.outputs[item.output].expression { return catalog.attributes[query.keys[position]].sortRanks }
                return nil
            }
            // Only ORDER BY's values, item after item.
            func fillKeys(_ index: Int, _ keys: UnsafeMutableBufferPointer<ResultValue>) {
                let row = groupRow(candidates[index])
                for (offset, (item, ranks)) in zip(query.order, keyRanks).enumerated() {
                    if let ranks, case let .key(position) = query.outputs[item.output].expression {
                        if let code = row.code(position) {
                            keys[offset] = code == 0 ? .null : .integer(Int64(ranks[Int(code)]))
                        } else {
                            keys[offset] = .subtotal
                        }
                    } else {
                        keys[offset] = evaluator.evaluate(query.outputs[item.output].expression, row: row)
                    }
                }
            }
            let order = query.order
            func precedes(_ a: UnsafeBufferPointer<ResultValue>, _ indexA: Int,
                          _ b: UnsafeBufferPointer<ResultValue>, _ indexB: Int) -> Bool {
                ResultOrdering.precedes(a, b, order) ?? tieBreak(candidates[indexA], candidates[indexB])
            }
            var indices: [Int]
            if let wanted, wanted < candidates.count / 2 || candidates.count < allCandidates.count {
                // Streamed: the keys of the groups kept so far are all it holds.
                if candidates.count == allCandidates.count { profile.ordering = "top-\(Thousands.grouped(wanted)) selection over \(Thousands.grouped(candidates.count)) groups" }
                indices = TopSelection.first(wanted, of: candidates.count, width: width, placeholder: .null,
                                             keys: fillKeys, by: precedes)
            } else {
                profile.ordering = "full sort of \(Thousands.grouped(candidates.count)) groups"
                var keys = [ResultValue](repeating: .null, count: candidates.count * width)
                keys.withUnsafeMutableBufferPointer { keys in
                    for index in candidates.indices {
                        fillKeys(index, UnsafeMutableBufferPointer(rebasing: keys[(index * width)..<(index * width + width)]))
                    }
                }
                indices = keys.withUnsafeBufferPointer { keys in
                    Array(candidates.indices).sorted { a, b in
                        precedes(UnsafeBufferPointer(rebasing: keys[(a * width)..<(a * width + width)]), a,
                                 UnsafeBufferPointer(rebasing: keys[(b * width)..<(b * width + width)]), b)
                    }
                }
            }
            ordered = indices.map { candidates[$0] }
        }
        let start = min(offset, ordered.count)
        let end = wanted.map { min(ordered.count, $0) } ?? ordered.count
        return start < end ? Array(ordered[start..<end]) : []
    }
}

extension AggregateExecutor {
    /// Under `ORDER BY aggregate ... LIMIT n`: the groups whose aggregate, in floating point, is at
    /// least as good as the n-th best. Converting to double never reverses two values' order, so
    /// every group of the exact first n is among them, and only they need exact keys. Nil when a
    /// value is NULL or not a number, which the exact ordering alone places.
    private static func screen(_ candidates: [Candidate], aggregations: [GroupedAggregation], aggregate: Int,
                                   descending: Bool, wanted: Int) -> [Candidate]? {
        guard wanted > 0 else { return nil }
        var scores = [Double](repeating: 0, count: candidates.count)
        for (index, candidate) in candidates.enumerated() {
            let aggregation = aggregations[candidate.set]
            guard let value = aggregation.aggregates[aggregate].doubleValue(slot: candidate.slot, rows: aggregation.rows[candidate.slot]),
                  !value.isNaN else { return nil }
            scores[index] = descending ? value : -value
        }
        // The wanted-th best score, found by the same bounded selection that ranks groups.
        let best = scores.withUnsafeBufferPointer { scores in
            TopSelection.first(wanted, of: scores.count, width: 1, placeholder: 0,
                               keys: { index, keys in keys[0] = scores[index] },
                               by: { a, _, b, _ in a[0] > b[0] })
        }
        guard let worstKept = best.last else { return nil }
        let threshold = scores[worstKept]
        return candidates.indices.filter { scores[$0] >= threshold }.map { candidates[$0] }
    }
}

/// Orders the groups of one grouping set by their key values: each key's rank of its value
/// (NULL after every value) combined in mixed radix into one integer.
struct GroupRanking {
    private let ranks: [[UInt32]]
    private let radices: [UInt64]

    init(catalog: CubeCatalog, attributes: [Int]) {
        ranks = attributes.map { catalog.attributes[$0].sortRanks }
        radices = ranks.map { UInt64($0.count + 1) }
    }

    /// Saturates past 2^64 possible key combinations, where only the leading keys order.
    func rank(_ codes: [UInt32]) -> UInt64 {
        var combined: UInt64 = 0
        for (position, code) in codes.enumerated() {
            let rank = code == 0 ? radices[position] - 1 : UInt64(ranks[position][Int(code)])
            let (shifted, overflow) = combined.multipliedReportingOverflow(by: radices[position])
            if overflow { return combined }
            combined = shifted + rank
        }
        return combined
    }
}

/// ORDER BY, OFFSET and LIMIT over result rows. NULLs sort last unless NULLS FIRST is asked.
enum ResultOrdering {
    /// The rows OFFSET and LIMIT reach, offset + limit (negative values count as 0), saturating at
    /// Int.max since either may be as large; nil without LIMIT.
    static func rowsThrough(limit: Int?, offset: Int) -> Int? {
        limit.map { limit in
            let (sum, overflow) = max(0, limit).addingReportingOverflow(max(0, offset))
            return overflow ? Int.max : sum
        }
    }

    static func apply(_ order: [BoundOrder], limit: Int?, offset: Int, to rows: [[ResultValue]]) -> [[ResultValue]] {
        var sorted = rows
        if !order.isEmpty {
            // Each item's values gathered once into machine words where they allow it, so that
            // comparisons neither allocate nor switch over values; ties keep row order.
            let columns = order.map { item in OrderKeyColumn(rows.map { $0[item.output] }) }
            let permutation: [Int]
            if columns.allSatisfy({ $0 != nil }) {
                permutation = OrderKeyColumn.permutation(columns.map { $0! }, order, count: rows.count)
            } else {
                let keys = rows.map { row in order.map { row[$0.output] } }
                permutation = rows.indices.sorted { lhs, rhs in precedes(keys[lhs], keys[rhs], order) ?? (lhs < rhs) }
            }
            sorted = permutation.map { rows[$0] }
        }
        let start = min(max(0, offset), sorted.count)
        // Compared with the rows left, not added to the offset: LIMIT may be Int.max.
        let end = limit.map { start + min(max(0, $0), sorted.count - start) } ?? sorted.count
        // Every row kept: no second copy of the rows.
        if start == 0 && end == sorted.count { return sorted }
        return Array(sorted[start..<end])
    }

    /// Whether `a` sorts before `b` by their ORDER BY values (`a[i]` is item i's value); nil on a tie.
    static func precedes<Values: RandomAccessCollection<ResultValue>>(_ a: Values, _ b: Values, _ order: [BoundOrder]) -> Bool? {
        for (index, item) in order.enumerated() {
            let (x, y) = (a[a.index(a.startIndex, offsetBy: index)], b[b.index(b.startIndex, offsetBy: index)])
            if x.isNull || y.isNull {
                if x.isNull && y.isNull { continue }
                return x.isNull == item.nullsFirst
            }
            guard let comparison = OutputEvaluator.compare(x, y), comparison != 0 else { continue }
            return item.descending ? comparison > 0 : comparison < 0
        }
        return nil
    }
}

func milliseconds(since start: DispatchTime) -> Double {
    Double(DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds) / 1e6
}
