import ChurnStorage
import Dispatch

/// What happened while running a query, for EXPLAIN.
struct ExecutionProfile {
    var scan = ScanStatistics()
    var strategy = ""
    var finestGroups = 0
    var setDerivations: [String] = []
    var rowsOut = 0
    var scanMilliseconds = 0.0
    var totalMilliseconds = 0.0
}

/// Runs an aggregate query: one scan into the finest grouping, then every grouping set derived
/// from it by merging partial states (no rescans), then outputs, HAVING, ORDER BY and LIMIT.
struct AggregateExecutor {
    let catalog: CubeCatalog
    let query: AggregateQuery

    func run(cancellation: Cancellation, profile: inout ExecutionProfile) throws -> QueryResult {
        let started = DispatchTime.now()
        let scan = AggregationScan(store: catalog.cube.store, catalog: catalog, filter: query.filter,
                                   keyAttributes: query.keys, specs: query.aggregates)
        let (finest, statistics) = try scan.run(cancellation: cancellation)
        profile.scan = statistics
        profile.scanMilliseconds = milliseconds(since: started)
        profile.strategy = finest.isDense ? "dense arrays indexed by code (\(finest.slotCount) slots)" : "hash table on combined codes"
        let finestSlots = finest.occupiedSlots
        profile.finestGroups = finestSlots.count

        var groupRows: [GroupRow] = []
        let allPositions = Array(query.keys.indices)
        for set in query.groupingSets {
            if cancellation.isCancelled { throw QueryError.cancelled }
            let names = set.map { catalog.attributes[query.keys[$0]].name }
            if set == allPositions || (query.keys.isEmpty && set.isEmpty) {
                profile.setDerivations.append("(\(names.joined(separator: ", "))): the scan's grouping")
                var slots = finestSlots
                if query.isGlobal && slots.isEmpty { slots = [Int(finest.slot(forKey: 0))] }
                for slot in sortedSlots(slots, aggregation: finest, positions: allPositions) {
                    let codes = finest.codes(ofKey: finest.key(ofSlot: slot))
                    groupRows.append(GroupRow(codes: codes.map { Optional($0) }, aggregation: finest, slot: slot))
                }
                continue
            }
            let radices = set.map { catalog.attributes[query.keys[$0]].codeCount }
            let derived = try GroupedAggregation(specs: query.aggregates, radices: radices, exactInputs: query.aggregates.map(\.hasExactInput))
            for slot in finestSlots {
                let codes = finest.codes(ofKey: finest.key(ofSlot: slot))
                var key: UInt64 = 0
                for (index, position) in set.enumerated() { key = key &* UInt64(radices[index]) &+ UInt64(codes[position]) }
                derived.merge(finest, slot: slot, into: Int(derived.slot(forKey: key)))
            }
            profile.setDerivations.append("(\(names.joined(separator: ", "))): \(finestSlots.count) finest groups merged into \(derived.occupiedSlots.count)")
            var slots = derived.occupiedSlots
            // The grand total exists even over no rows, as in SQL.
            if set.isEmpty && slots.isEmpty { slots = [Int(derived.slot(forKey: 0))] }
            for slot in sortedSlots(slots, aggregation: derived, positions: set) {
                let setCodes = derived.codes(ofKey: derived.key(ofSlot: slot))
                var codes = [UInt32?](repeating: nil, count: query.keys.count)
                for (index, position) in set.enumerated() { codes[position] = setCodes[index] }
                groupRows.append(GroupRow(codes: codes, aggregation: derived, slot: slot))
            }
        }

        let evaluator = OutputEvaluator(catalog: catalog, keys: query.keys, specs: query.aggregates)
        var rows: [[ResultValue]] = []
        rows.reserveCapacity(groupRows.count)
        for groupRow in groupRows {
            if let having = query.having, evaluator.evaluate(having, row: groupRow) != .boolean(true) { continue }
            rows.append(query.outputs.map { evaluator.evaluate($0.expression, row: groupRow) })
        }
        rows = ResultOrdering.apply(query.order, limit: query.limit, offset: query.offset, to: rows)
        let visible = query.outputs.indices.filter { !query.outputs[$0].hidden }
        if visible.count != query.outputs.count { rows = rows.map { row in visible.map { row[$0] } } }
        profile.rowsOut = rows.count
        profile.totalMilliseconds = milliseconds(since: started)
        return QueryResult(columns: visible.map { query.outputs[$0].column }, rows: rows)
    }

    /// Groups in ascending order of their key values, NULL last as ORDER BY puts it, so results
    /// without ORDER BY come out in a stable, readable order.
    private func sortedSlots(_ slots: [Int], aggregation: GroupedAggregation, positions: [Int]) -> [Int] {
        guard !positions.isEmpty else { return slots }
        let ranks = positions.map { catalog.attributes[query.keys[$0]].sortRanks }
        let decorated = slots.map { slot -> ([UInt32], Int) in
            let codes = aggregation.codes(ofKey: aggregation.key(ofSlot: slot))
            return (codes.enumerated().map { $0.element == 0 ? UInt32.max : ranks[$0.offset][Int($0.element)] }, slot)
        }
        return decorated.sorted { $0.0.lexicographicallyPrecedes($1.0) }.map(\.1)
    }
}

/// ORDER BY, OFFSET and LIMIT over result rows. NULLs sort last unless NULLS FIRST is asked.
enum ResultOrdering {
    static func apply(_ order: [BoundOrder], limit: Int?, offset: Int, to rows: [[ResultValue]]) -> [[ResultValue]] {
        var sorted = rows
        if !order.isEmpty {
            let indexed = Array(sorted.enumerated())
            sorted = indexed.sorted { lhs, rhs in
                for item in order {
                    let (a, b) = (lhs.element[item.output], rhs.element[item.output])
                    if a.isNull || b.isNull {
                        if a.isNull && b.isNull { continue }
                        return a.isNull == item.nullsFirst
                    }
                    guard let comparison = OutputEvaluator.compare(a, b), comparison != 0 else { continue }
                    return item.descending ? comparison > 0 : comparison < 0
                }
                return lhs.offset < rhs.offset
            }.map(\.element)
        }
        let start = min(max(0, offset), sorted.count)
        // Compared with the rows left, not added to the offset: LIMIT may be Int.max.
        let end = limit.map { start + min(max(0, $0), sorted.count - start) } ?? sorted.count
        return Array(sorted[start..<end])
    }
}

func milliseconds(since start: DispatchTime) -> Double {
    Double(DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds) / 1e6
}
