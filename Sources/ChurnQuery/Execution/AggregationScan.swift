import ChurnStorage
import Dispatch
import Synchronization

/// Figures from a scan, shown by EXPLAIN.
struct ScanStatistics {
    var rowGroups = 0
    var rowGroupsSkipped = 0
    var rowGroupsFullyMatched = 0
    var chunksDecoded = 0
    var rowsScanned = 0
    var rowsMatched = 0
    var workers = 0
    /// Fixed stretches of row groups with states of their own, merged in order; 0: a state per worker.
    var stretches = 0
    var kernels = PredicateKernelCounts()
    /// Set when a remote engine ran the scan.
    var remote: RemoteProfile?

    mutating func add(_ other: ScanStatistics) {
        rowGroupsSkipped += other.rowGroupsSkipped
        rowGroupsFullyMatched += other.rowGroupsFullyMatched
        chunksDecoded += other.chunksDecoded
        rowsScanned += other.rowsScanned
        rowsMatched += other.rowsMatched
        kernels.add(other.kernels)
    }
}

/// The grouped scan every aggregating statement runs (SELECT, HOTSPOTS' moments, DRILL, PIVOT):
/// worker threads take row groups in turn, filter them, and fold their rows into their own
/// `GroupedAggregation`; the workers' partial states are merged at the end, without locks.
struct AggregationScan {
    /// Largest dense grouping whose floating-point states are kept per stretch of row groups.
    static let orderedSlotLimit = 1 << 12
    /// Stretches of row groups such a grouping is cut into, whatever the number of workers:
    /// enough for a few workers to even out their shares.
    static let orderedStretchCount = 16

    let store: ColumnStore
    let catalog: CubeCatalog
    let filter: RowPredicate?
    /// Attributes forming the combined key: the catalog's, or ones derived for one statement
    /// (an account's cohort read through the account column).
    let keyAttributes: [GroupAttribute]
    let specs: [AggregateSpec]
    /// Also collect each account's segments (HOTSPOTS' variances); nil for none.
    var clusters: ClusterSpec? = nil
    /// At most this many worker threads; nil: one per core.
    var workerLimit: Int? = nil

    func run(cancellation: Cancellation) throws -> (GroupedAggregation, ScanStatistics) {
        if let connection = catalog.connection {
            let sql = try AggregateSQL(dialect: connection.dialect, table: connection.table, catalog: catalog, filter: filter,
                                       keys: keyAttributes, groupingSets: [Array(keyAttributes.indices)], specs: specs)
            let outcome = try RemoteGrouping(connection: connection, sql: sql).run(cancellation: cancellation)
            var statistics = ScanStatistics()
            statistics.rowsMatched = outcome.rowsMatched
            statistics.remote = RemoteProfile(location: connection.location, statements: outcome.statements, resultRows: outcome.resultRows)
            return (outcome.aggregations[0], statistics)
        }
        let (aggregation, statistics, _) = try runCollectingClusters(cancellation: cancellation)
        return (aggregation, statistics)
    }

    /// The scan, with the segments of `clusters` when it names them.
    func runCollectingClusters(cancellation: Cancellation) throws -> (GroupedAggregation, ScanStatistics, ClusterSegments?) {
        if let connection = catalog.connection {
            guard let clusters else {
                let (aggregation, statistics) = try run(cancellation: cancellation)
                return (aggregation, statistics, nil)
            }
            return try RemoteClusterScan(connection: connection, catalog: catalog, filter: filter, keyAttributes: keyAttributes,
                                         specs: specs, clusters: clusters).run(cancellation: cancellation)
        }
        let radices = keyAttributes.map(\.codeCount)
        let groupCount = store.rowGroupCount
        let workerCount = max(1, min(groupCount, workerLimit ?? activeProcessorCount()))
        let next = Atomic<Int>(0)
        let first = try GroupedAggregation(specs: specs, radices: radices, catalog: catalog, rowCount: store.rowCount)
        // Floating-point sums (second moments, sums of doubles) differ in their last bits with
        // the order their rows are added in. For a small dense grouping each fixed stretch of row
        // groups gets its own state, merged in stretch order: the answer is the same on every run
        // and on any number of cores, whichever worker took which stretch. Other groupings keep
        // one state per worker.
        let ordered = clusters == nil && first.isDense && first.slotCount <= Self.orderedSlotLimit
            && specs.contains(where: \.dependsOnAdditionOrder)
        let stretchCount = ordered ? max(1, min(groupCount, Self.orderedStretchCount)) : 0
        let partials = try [first] + (1..<(ordered ? stretchCount : workerCount)).map { _ in
            try GroupedAggregation(sameFunctionsAs: first, radices: radices)
        }
        var statistics = [ScanStatistics](repeating: ScanStatistics(), count: workerCount)
        var failures = [Error?](repeating: nil, count: workerCount)
        let pruner = ChunkPruner(store: store)
        let collectors = clusters.map { spec in (0..<workerCount).map { _ in ClusterSegmentCollector(spec: spec, catalog: catalog) } }

        partials.withUnsafeBufferPointer { partialsPointer in
            statistics.withUnsafeMutableBufferPointer { statisticsPointer in
                failures.withUnsafeMutableBufferPointer { failuresPointer in
                    nonisolated(unsafe) let partialsPointer = partialsPointer
                    nonisolated(unsafe) let statisticsPointer = statisticsPointer
                    nonisolated(unsafe) let failuresPointer = failuresPointer
                    nonisolated(unsafe) let collectors = collectors
                    DispatchQueue.concurrentPerform(iterations: workerCount) { worker in
                        let reader = RowGroupReader(store: store)
                        let kernel = AggregationKernel(catalog: catalog, keyAttributes: keyAttributes,
                                                       aggregation: partialsPointer[ordered ? 0 : worker], pruner: pruner, reader: reader,
                                                       clusters: collectors?[worker])
                        do {
                            // A unit of work: one row group into the worker's state, or one
                            // stretch of row groups into the stretch's.
                            while true {
                                if cancellation.isCancelled { throw QueryError.cancelled }
                                let unit = next.add(1, ordering: .relaxed).oldValue
                                if unit >= (ordered ? stretchCount : groupCount) { break }
                                if ordered { kernel.aggregation = partialsPointer[unit] }
                                let rowGroups = ordered ? (unit * groupCount / stretchCount)..<((unit + 1) * groupCount / stretchCount)
                                    : unit..<(unit + 1)
                                for rowGroup in rowGroups {
                                    if cancellation.isCancelled { throw QueryError.cancelled }
                                    reader.start(rowGroup: rowGroup)
                                    try kernel.consume(filter: filter, statistics: &statisticsPointer[worker])
                                }
                            }
                        } catch {
                            failuresPointer[worker] = error
                        }
                        statisticsPointer[worker].chunksDecoded = reader.chunksDecoded
                        statisticsPointer[worker].kernels = kernel.predicates.kernelRuns
                    }
                }
            }
        }
        if let failure = failures.compactMap({ $0 }).first {
            if let located = failure as? QueryError { throw located }
            throw QueryError.storage(failure)
        }
        // Segments take their keys from their own worker's slots, before the merge adds slots.
        let segments = collectors.map {
            ClusterSegments(collectors: $0, aggregations: partials, rowGroupCount: groupCount,
                            clusterCodeCount: catalog.attributes[clusters!.attribute].codeCount)
        }
        let merged = partials[0]
        for partial in partials.dropFirst() { merged.mergeAll(partial) }
        var total = ScanStatistics()
        for part in statistics { total.add(part) }
        total.rowGroups = groupCount
        total.workers = workerCount
        total.stretches = stretchCount
        return (merged, total, segments)
    }
}

/// Processes one row group at a time for one worker: filter into a selection, group slots,
/// then each aggregate over the selected rows.
final class AggregationKernel {
    let catalog: CubeCatalog
    let keyAttributes: [GroupAttribute]
    /// The states the rows go into: the worker's, or those of the stretch of row groups it is on.
    var aggregation: GroupedAggregation
    let pruner: ChunkPruner
    let reader: RowGroupReader
    let predicates: PredicateEvaluator
    let clusters: ClusterSegmentCollector?
    private var slots = [Int32](repeating: 0, count: ColumnChunk.maximumRowCount)
    private var combined = [UInt64](repeating: 0, count: ColumnChunk.maximumRowCount)
    private var slotRuns = [SlotRun](repeating: SlotRun(slot: 0, length: 0), count: ColumnChunk.maximumRowCount)
    /// One key attribute's codes at the selected rows.
    fileprivate let selectedCodes = UnsafeMutableBufferPointer<UInt32>.allocate(capacity: ColumnChunk.maximumRowCount)

    init(catalog: CubeCatalog, keyAttributes: [GroupAttribute], aggregation: GroupedAggregation, pruner: ChunkPruner, reader: RowGroupReader,
         clusters: ClusterSegmentCollector? = nil) {
        self.catalog = catalog
        self.clusters = clusters
        self.keyAttributes = keyAttributes
        self.aggregation = aggregation
        self.pruner = pruner
        self.reader = reader
        self.predicates = PredicateEvaluator(pruner: pruner, reader: reader)
    }

    deinit { selectedCodes.deallocate() }

    func consume(filter: RowPredicate?, statistics: inout ScanStatistics) throws {
        let rowCount = reader.rowCount
        var selection = RowSelection.all(rowCount)
        if let filter {
            switch pruner.verdict(filter, rowGroup: reader.rowGroup) {
            case .none:
                statistics.rowGroupsSkipped += 1
                return
            case .all:
                statistics.rowGroupsFullyMatched += 1
            case .some:
                selection = try predicates.select(filter)
            }
        }
        defer { predicates.pool.release(selection) }
        statistics.rowsScanned += rowCount
        statistics.rowsMatched += selection.count
        if selection.count == 0 { return }

        let selected = selection.buffer
        let runCount: Int?
        if selected == nil, let keyRuns = try slotRunsFromKeyRuns(rowCount: rowCount) {
            runCount = keyRuns
        } else {
            try computeSlots(rowCount: rowCount, selected: selected)
            runCount = selected == nil ? findSlotRuns(rowCount: rowCount) : nil
        }
        let aggregation = self.aggregation
        reader.beginAggregates()
        try slots.withUnsafeBufferPointer { slotsPointer in
            try slotRuns.withUnsafeBufferPointer { runsPointer in
                let runs = runCount.map { UnsafeBufferPointer(rebasing: runsPointer[0..<$0]) }
                let batch = ScanBatch(reader: reader, expressions: predicates.expressions, rowCount: rowCount,
                                      selection: selected, slots: slotsPointer.baseAddress!, slotRuns: runs)
                aggregation.rows.withUnsafeMutableBufferPointer { rows in
                    if let runs {
                        for run in runs { rows[Int(run.slot)] += Int64(run.length) }
                    } else {
                        batch.forEachRow { row in rows[Int(slotsPointer[row])] += 1 }
                    }
                }
                for aggregate in aggregation.aggregates { try aggregate.update(batch) }
                try clusters?.consume(batch, rowGroup: reader.rowGroup)
            }
        }
    }

    /// Slots and slot runs straight from the runs of a single run-length key (the sort key's
    /// leading column: rows of one account lie together), without keying row by row. Nil when the
    /// key is not one such column or its runs are too short to pay.
    private func slotRunsFromKeyRuns(rowCount: Int) throws -> Int? {
        guard keyAttributes.count == 1 else { return nil }
        let attribute = keyAttributes[0]
        guard attribute.codeMap == nil, let runs = try reader.codeRuns(attribute.column), runs.count <= rowCount / 4 else { return nil }
        let aggregation = self.aggregation
        slots.withUnsafeMutableBufferPointer { slots in
            slotRuns.withUnsafeMutableBufferPointer { slotRuns in
                var row = 0
                for (index, run) in runs.enumerated() {
                    let slot = aggregation.slot(forKey: UInt64(run.value))
                    (slots.baseAddress! + row).update(repeating: slot, count: run.length)
                    slotRuns[index] = SlotRun(slot: slot, length: Int32(run.length))
                    row += run.length
                }
            }
        }
        return runs.count
    }

    /// Cuts the row group's slots into stretches of one slot; nil when stretches are too short to pay.
    private func findSlotRuns(rowCount: Int) -> Int? {
        guard rowCount > 0 else { return nil }
        let limit = rowCount / 4
        return slots.withUnsafeBufferPointer { slots in
            slotRuns.withUnsafeMutableBufferPointer { runs -> Int? in
                var count = 0
                var current = slots[0]
                var length: Int32 = 0
                for row in 0..<rowCount {
                    let slot = slots[row]
                    if slot != current {
                        runs[count] = SlotRun(slot: current, length: length)
                        count += 1
                        if count >= limit { return nil }
                        current = slot
                        length = 0
                    }
                    length += 1
                }
                runs[count] = SlotRun(slot: current, length: length)
                return count + 1
            }
        }
    }

    private func computeSlots(rowCount: Int, selected: UnsafeBufferPointer<Int32>?) throws {
        let aggregation = self.aggregation
        if keyAttributes.isEmpty {
            slots.withUnsafeMutableBufferPointer { $0.baseAddress!.update(repeating: aggregation.slot(forKey: 0), count: rowCount) }
            return
        }
        if let selected, selected.count < rowCount / 8 {
            // Few rows pass the filter: key only those.
            try computeSelectedSlots(selected)
            return
        }
        combined.withUnsafeMutableBufferPointer { $0.baseAddress!.update(repeating: 0, count: rowCount) }
        for attribute in keyAttributes {
            let radix = UInt64(attribute.codeCount)
            if attribute.codeMap == nil, let runs = try reader.codeRuns(attribute.column) {
                combined.withUnsafeMutableBufferPointer { keys in
                    var row = 0
                    for run in runs {
                        let code = UInt64(run.value)
                        for index in row..<(row + run.length) { keys[index] = keys[index] &* radix &+ code }
                        row += run.length
                    }
                }
                continue
            }
            let codes = try reader.codes(attribute.column)
            combined.withUnsafeMutableBufferPointer { keys in
                if let codeMap = attribute.codeMap {
                    codeMap.withUnsafeBufferPointer { map in
                        for row in 0..<rowCount { keys[row] = keys[row] &* radix &+ UInt64(map[Int(codes[row])]) }
                    }
                } else {
                    for row in 0..<rowCount { keys[row] = keys[row] &* radix &+ UInt64(codes[row]) }
                }
            }
        }
        combined.withUnsafeBufferPointer { keys in
            slots.withUnsafeMutableBufferPointer { out in
                if aggregation.isDense {
                    forEachRow(rowCount, selected) { row in out[row] = Int32(truncatingIfNeeded: keys[row]) }
                } else {
                    // Adjacent rows usually share their key (rows of one account are together).
                    var lastKey = UInt64.max
                    var lastSlot: Int32 = 0
                    forEachRow(rowCount, selected) { row in
                        let key = keys[row]
                        if key != lastKey { lastKey = key; lastSlot = aggregation.slot(forKey: key) }
                        out[row] = lastSlot
                    }
                }
            }
        }
    }
}

extension AggregationKernel {
    /// Slots of the selected rows only, from each key attribute's codes at those rows.
    fileprivate func computeSelectedSlots(_ selected: UnsafeBufferPointer<Int32>) throws {
        let attributes = keyAttributes
        let aggregation = self.aggregation
        // The combined key of each selected row, attribute after attribute, from the codes at the
        // selected rows alone.
        let count = selected.count
        combined.withUnsafeMutableBufferPointer { $0.baseAddress!.update(repeating: 0, count: count) }
        for attribute in attributes {
            try reader.codes(attribute.column, at: selected, into: selectedCodes.baseAddress!)
            let radix = UInt64(attribute.codeCount)
            combined.withUnsafeMutableBufferPointer { keys in
                if let codeMap = attribute.codeMap {
                    for index in 0..<count { keys[index] = keys[index] &* radix &+ UInt64(codeMap[Int(selectedCodes[index])]) }
                } else {
                    for index in 0..<count { keys[index] = keys[index] &* radix &+ UInt64(selectedCodes[index]) }
                }
            }
        }
        combined.withUnsafeBufferPointer { keys in
            slots.withUnsafeMutableBufferPointer { out in
                var lastKey = UInt64.max
                var lastSlot: Int32 = 0
                for (index, row) in selected.enumerated() {
                    let key = keys[index]
                    if key != lastKey { lastKey = key; lastSlot = aggregation.slot(forKey: key) }
                    out[Int(row)] = lastSlot
                }
            }
        }
    }
}

/// Calls `body` for the selected rows, or every row when there is no selection.
@inline(__always)
func forEachRow(_ rowCount: Int, _ selected: UnsafeBufferPointer<Int32>?, _ body: (Int) -> Void) {
    if let selected {
        for row in selected { body(Int(row)) }
    } else {
        for row in 0..<rowCount { body(row) }
    }
}

func activeProcessorCount() -> Int {
    #if canImport(Glibc)
    return max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))))
    #else
    return 2
    #endif
}

#if canImport(Glibc)
import Glibc
#endif
