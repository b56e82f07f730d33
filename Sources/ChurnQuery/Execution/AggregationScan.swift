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
}

/// The parallel scan that feeds a grouping: worker threads take row groups in turn, each
/// aggregating into its own `GroupedAggregation`; the partial states are merged at the end.
struct AggregationScan {
    let store: ColumnStore
    let catalog: CubeCatalog
    let filter: RowPredicate?
    /// Attributes (catalog indexes) forming the combined key.
    let keyAttributes: [Int]
    let specs: [AggregateSpec]

    func run(cancellation: Cancellation) throws -> (GroupedAggregation, ScanStatistics) {
        let radices = keyAttributes.map { catalog.attributes[$0].codeCount }
        let exact = specs.map(\.hasExactInput)
        let groupCount = store.rowGroupCount
        let workerCount = max(1, min(groupCount, activeProcessorCount()))
        let next = Atomic<Int>(0)
        let distinctCodeCounts = specs.map { spec -> Int in
            if case let .countDistinct(attribute) = spec { return catalog.attributes[attribute].codeCount }
            return 0
        }
        let partials = try (0..<workerCount).map { _ in
            try GroupedAggregation(specs: specs, radices: radices, exactInputs: exact, distinctCodeCounts: distinctCodeCounts)
        }
        var statistics = [ScanStatistics](repeating: ScanStatistics(), count: workerCount)
        var failures = [Error?](repeating: nil, count: workerCount)
        let pruner = ChunkPruner(store: store)

        partials.withUnsafeBufferPointer { partialsPointer in
            statistics.withUnsafeMutableBufferPointer { statisticsPointer in
                failures.withUnsafeMutableBufferPointer { failuresPointer in
                    nonisolated(unsafe) let partialsPointer = partialsPointer
                    nonisolated(unsafe) let statisticsPointer = statisticsPointer
                    nonisolated(unsafe) let failuresPointer = failuresPointer
                    DispatchQueue.concurrentPerform(iterations: workerCount) { worker in
                        let reader = RowGroupReader(store: store)
                        var kernel = AggregationKernel(catalog: catalog, keyAttributes: keyAttributes, specs: specs,
                                                       aggregation: partialsPointer[worker], pruner: pruner)
                        do {
                            while true {
                                if cancellation.isCancelled { throw QueryError.cancelled }
                                let rowGroup = next.add(1, ordering: .relaxed).oldValue
                                if rowGroup >= groupCount { break }
                                reader.start(rowGroup: rowGroup)
                                try kernel.consume(reader: reader, filter: filter, statistics: &statisticsPointer[worker])
                            }
                        } catch {
                            failuresPointer[worker] = error
                        }
                        statisticsPointer[worker].chunksDecoded = reader.chunksDecoded
                    }
                }
            }
        }
        if let failure = failures.compactMap({ $0 }).first {
            if let located = failure as? QueryError { throw located }
            throw QueryError.storage(failure)
        }
        let merged = partials[0]
        for partial in partials.dropFirst() { merged.mergeAll(partial) }
        var total = ScanStatistics()
        for part in statistics {
            total.rowGroupsSkipped += part.rowGroupsSkipped
            total.rowGroupsFullyMatched += part.rowGroupsFullyMatched
            total.chunksDecoded += part.chunksDecoded
            total.rowsScanned += part.rowsScanned
            total.rowsMatched += part.rowsMatched
        }
        total.rowGroups = groupCount
        total.workers = workerCount
        return (merged, total)
    }
}

/// Processes one row group at a time for one worker: filter, group slots, then each aggregate.
struct AggregationKernel {
    let catalog: CubeCatalog
    let keyAttributes: [Int]
    let specs: [AggregateSpec]
    let aggregation: GroupedAggregation
    let pruner: ChunkPruner

    private var mask: [UInt8] = []
    private var selection: [Int32] = []
    private var slots: [Int32] = [Int32](repeating: 0, count: ColumnChunk.maximumRowCount)
    private var combined: [UInt64] = [UInt64](repeating: 0, count: ColumnChunk.maximumRowCount)
    private var doubles: [Double] = []
    private var doubleNulls: [Bool] = []

    init(catalog: CubeCatalog, keyAttributes: [Int], specs: [AggregateSpec], aggregation: GroupedAggregation, pruner: ChunkPruner) {
        self.catalog = catalog
        self.keyAttributes = keyAttributes
        self.specs = specs
        self.aggregation = aggregation
        self.pruner = pruner
    }

    mutating func consume(reader: RowGroupReader, filter: RowPredicate?, statistics: inout ScanStatistics) throws {
        let rowCount = reader.rowCount
        var useSelection = false
        if let filter {
            switch pruner.verdict(filter, rowGroup: reader.rowGroup) {
            case .none:
                statistics.rowGroupsSkipped += 1
                return
            case .all:
                statistics.rowGroupsFullyMatched += 1
            case .some:
                try PredicateEvaluator(pruner: pruner).evaluate(filter, reader: reader, into: &mask)
                selection.removeAll(keepingCapacity: true)
                for row in 0..<rowCount where mask[row] != 0 { selection.append(Int32(row)) }
                useSelection = true
                if selection.isEmpty { statistics.rowsScanned += rowCount; return }
            }
        }
        statistics.rowsScanned += rowCount
        statistics.rowsMatched += useSelection ? selection.count : rowCount

        try computeSlots(reader: reader, rowCount: rowCount, useSelection: useSelection)
        let aggregation = self.aggregation
        let selected = useSelection ? selection : nil

        // Row counts.
        slots.withUnsafeBufferPointer { slotsPointer in
            aggregation.rows.withUnsafeMutableBufferPointer { rows in
                forEachRow(rowCount, selected) { row in rows[Int(slotsPointer[row])] += 1 }
            }
        }
        for (index, spec) in specs.enumerated() {
            try accumulate(spec, index: index, reader: reader, rowCount: rowCount, selected: selected)
        }
    }


    private mutating func computeSlots(reader: RowGroupReader, rowCount: Int, useSelection: Bool) throws {
        let aggregation = self.aggregation
        if keyAttributes.isEmpty {
            slots.withUnsafeMutableBufferPointer { $0.baseAddress!.update(repeating: aggregation.slot(forKey: 0), count: rowCount) }
            return
        }
        combined.withUnsafeMutableBufferPointer { $0.baseAddress!.update(repeating: 0, count: rowCount) }
        for attributeIndex in keyAttributes {
            let attribute = catalog.attributes[attributeIndex]
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
        let selected = useSelection ? selection : nil
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

    private mutating func accumulate(_ spec: AggregateSpec, index: Int, reader: RowGroupReader, rowCount: Int, selected: [Int32]?) throws {
        let aggregation = self.aggregation
        switch spec {
        case .countRows:
            return
        case let .countAttribute(attributeIndex):
            let attribute = catalog.attributes[attributeIndex]
            let codes = try reader.codes(attribute.column)
            let codeMap = attribute.codeMap
            slots.withUnsafeBufferPointer { slotsPointer in
                aggregation.states[index].integers.withUnsafeMutableBufferPointer { counts in
                    forEachRow(rowCount, selected) { row in
                        let code = codeMap.map { $0[Int(codes[row])] } ?? codes[row]
                        if code != 0 { counts[Int(slotsPointer[row])] += 1 }
                    }
                }
            }
        case let .countDistinct(attributeIndex):
            let attribute = catalog.attributes[attributeIndex]
            let codes = try reader.codes(attribute.column)
            let codeMap = attribute.codeMap
            let words = aggregation.states[index].bitmapWords
            if words > 0 {
                slots.withUnsafeBufferPointer { slotsPointer in
                    aggregation.states[index].bitmaps.withUnsafeMutableBufferPointer { bits in
                        forEachRow(rowCount, selected) { row in
                            let code = codeMap.map { $0[Int(codes[row])] } ?? codes[row]
                            if code == 0 { return }
                            bits[Int(slotsPointer[row]) * words + Int(code >> 6)] |= 1 << UInt64(code & 63)
                        }
                    }
                }
                return
            }
            var lastSlot: Int32 = -1
            var lastCode: UInt32 = .max
            forEachRow(rowCount, selected) { row in
                let code = codeMap.map { $0[Int(codes[row])] } ?? codes[row]
                let slot = slots[row]
                if code == 0 || (code == lastCode && slot == lastSlot) { return }
                lastCode = code
                lastSlot = slot
                aggregation.states[index].distinct[Int(slot)].insert(code)
            }
        case let .minAttribute(attributeIndex), let .maxAttribute(attributeIndex):
            let attribute = catalog.attributes[attributeIndex]
            let codes = try reader.codes(attribute.column)
            let isMin = spec.isMin
            forEachRow(rowCount, selected) { row in
                let code = attribute.codeMap.map { $0[Int(codes[row])] } ?? codes[row]
                guard code != 0 else { return }
                let rank = attribute.sortRanks[Int(code)]
                let slot = Int(slots[row])
                let current = aggregation.states[index].ranks[slot]
                if isMin ? rank < current : rank > current { aggregation.states[index].ranks[slot] = rank }
            }
        case let .count(input):
            if case let .column(column, _, _) = input {
                let (_, nulls) = try reader.values(column)
                slots.withUnsafeBufferPointer { slotsPointer in
                    aggregation.states[index].integers.withUnsafeMutableBufferPointer { counts in
                        forEachRow(rowCount, selected) { row in
                            if !(nulls?.isNull(row) ?? false) { counts[Int(slotsPointer[row])] += 1 }
                        }
                    }
                }
            } else {
                _ = try reader.evaluate(input, into: &doubles, nullRows: &doubleNulls)
                let nullRows = doubleNulls
                forEachRow(rowCount, selected) { row in
                    if !nullRows[row] { aggregation.states[index].integers[Int(slots[row])] += 1 }
                }
            }
        case let .sum(input):
            if aggregation.states[index].exact, case let .column(column, _, _) = input {
                try sumExact(column: column, index: index, reader: reader, rowCount: rowCount, selected: selected)
            } else {
                let anyNull = try reader.evaluate(input, into: &doubles, nullRows: &doubleNulls)
                let values = doubles, nullRows = doubleNulls
                slots.withUnsafeBufferPointer { slotsPointer in
                    aggregation.withState(index) { state in
                        state.doubles.withUnsafeMutableBufferPointer { sums in
                            state.nulls.withUnsafeMutableBufferPointer { nulls in
                                forEachRow(rowCount, selected) { row in
                                    let slot = Int(slotsPointer[row])
                                    if anyNull && nullRows[row] { nulls[slot] += 1 } else { sums[slot] += values[row] }
                                }
                            }
                        }
                    }
                }
            }
        case let .min(input), let .max(input):
            let isMin = spec.isMin
            if aggregation.states[index].exact, case let .column(column, _, _) = input {
                let (values, nulls) = try reader.values(column)
                forEachRow(rowCount, selected) { row in
                    let slot = Int(slots[row])
                    if nulls?.isNull(row) ?? false { aggregation.states[index].nulls[slot] += 1; return }
                    let value = values[row]
                    let current = aggregation.states[index].integers[slot]
                    if isMin ? value < current : value > current { aggregation.states[index].integers[slot] = value }
                }
            } else {
                _ = try reader.evaluate(input, into: &doubles, nullRows: &doubleNulls)
                let values = doubles, nullRows = doubleNulls
                forEachRow(rowCount, selected) { row in
                    let slot = Int(slots[row])
                    if nullRows[row] { aggregation.states[index].nulls[slot] += 1; return }
                    let current = aggregation.states[index].doubles[slot]
                    if isMin ? values[row] < current : values[row] > current { aggregation.states[index].doubles[slot] = values[row] }
                }
            }
        case let .lastSum(input, attributeIndex):
            let attribute = catalog.attributes[attributeIndex]
            let codes = try reader.codes(attribute.column)
            let exact = aggregation.states[index].exact
            var integerValues: UnsafeBufferPointer<Int64>? = nil
            var integerNulls: NullMask? = nil
            if exact, case let .column(column, _, _) = input {
                (integerValues, integerNulls) = try reader.values(column)
            } else {
                _ = try reader.evaluate(input, into: &doubles, nullRows: &doubleNulls)
            }
            let values = doubles, nullRows = doubleNulls
            forEachRow(rowCount, selected) { row in
                let slot = Int(slots[row])
                let code = attribute.codeMap.map { $0[Int(codes[row])] } ?? codes[row]
                let rank = attribute.sortRanks[Int(code)]
                let best = aggregation.states[index].ranks[slot]
                if rank < best { return }
                if rank > best {
                    aggregation.states[index].ranks[slot] = rank
                    if exact { aggregation.states[index].integers[slot] = 0 } else { aggregation.states[index].doubles[slot] = 0 }
                    aggregation.states[index].nulls[slot] = 0
                }
                if let integerValues {
                    if integerNulls?.isNull(row) ?? false { aggregation.states[index].nulls[slot] += 1 }
                    else { aggregation.states[index].integers[slot] &+= integerValues[row] }
                } else {
                    if nullRows[row] { aggregation.states[index].nulls[slot] += 1 }
                    else { aggregation.states[index].doubles[slot] += values[row] }
                }
            }
        }
    }

    /// SUM of an integer or decimal column, exactly; all-zero chunks cost nothing and sparse
    /// chunks only their non-zero entries.
    private mutating func sumExact(column: Int, index: Int, reader: RowGroupReader, rowCount: Int, selected: [Int32]?) throws {
        let aggregation = self.aggregation
        let chunk = reader.chunk(column)
        if chunk.statistics.isAllZero { return }
        let masked = selected != nil
        let rowMask = mask
        let slotsCopy = slots
        let visited = try slotsCopy.withUnsafeBufferPointer { slotsPointer in
            try aggregation.states[index].integers.withUnsafeMutableBufferPointer { sums in
                try reader.visitSparse(column) { position, value in
                    if masked && rowMask[position] == 0 { return }
                    sums[Int(slotsPointer[position])] &+= value
                }
            }
        }
        if visited { return }
        if let runs = try reader.valueRuns(column) {
            // Add each run's value row by row without expanding the run into a buffer first.
            slots.withUnsafeBufferPointer { slotsPointer in
                aggregation.states[index].integers.withUnsafeMutableBufferPointer { sums in
                    if let selected {
                        // Walk the selected rows and the runs together.
                        var run = 0
                        var runEnd = runs.isEmpty ? 0 : runs[0].length
                        for row32 in selected {
                            let row = Int(row32)
                            while row >= runEnd { run += 1; runEnd += runs[run].length }
                            sums[Int(slotsPointer[row])] &+= runs[run].value
                        }
                    } else {
                        var start = 0
                        for run in runs {
                            let end = start + run.length
                            for row in start..<end { sums[Int(slotsPointer[row])] &+= run.value }
                            start = end
                        }
                    }
                }
            }
            return
        }
        let (values, nulls) = try reader.values(column)
        slots.withUnsafeBufferPointer { slotsPointer in
            aggregation.withState(index) { state in
                state.integers.withUnsafeMutableBufferPointer { sums in
                    if let nulls {
                        state.nulls.withUnsafeMutableBufferPointer { nullCounts in
                            forEachRow(rowCount, selected) { row in
                                if nulls.isNull(row) { nullCounts[Int(slotsPointer[row])] += 1 }
                                else { sums[Int(slotsPointer[row])] &+= values[row] }
                            }
                        }
                    } else {
                        forEachRow(rowCount, selected) { row in sums[Int(slotsPointer[row])] &+= values[row] }
                    }
                }
            }
        }
    }
}

/// Calls `body` for the selected rows, or every row when there is no selection.
@inline(__always)
func forEachRow(_ rowCount: Int, _ selected: [Int32]?, _ body: (Int) -> Void) {
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
