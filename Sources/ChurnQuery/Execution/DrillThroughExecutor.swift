import ChurnStorage
import Dispatch

/// Returns fact rows (SELECT without aggregates): row groups are pruned by statistics, then
/// scanned in order; without ORDER BY the scan stops once LIMIT + OFFSET rows are found.
struct DrillThroughExecutor {
    let catalog: CubeCatalog
    let query: DrillThroughQuery

    /// Stretches of row groups per core in a scan of every row group.
    static let stretchesPerCore = 8

    /// The selected rows' values, column by column; columns decode in parallel, since a
    /// drill-through reads every column of few row groups.
    private func decodeColumns(rowGroup: Int, rows rowNumbers: [Int]) throws -> [[ResultValue]] {
        let columns = query.columns
        let rowCount = catalog.cube.store.rowGroupSizes[rowGroup]
        if rowNumbers.count * 16 <= rowCount {
            // A few rows (one account's months): read them where they lie, on this thread.
            let reader = RowGroupReader(store: catalog.cube.store)
            reader.start(rowGroup: rowGroup)
            let rows = rowNumbers.map { Int32($0) }
            return try rows.withUnsafeBufferPointer { rows in
                try columns.map { column in
                    try decodeFew(column, reader: reader, rows: rows) ?? decode(column, rowGroup: rowGroup, rows: rowNumbers)
                }
            }
        }
        return try parallelMap(columns.count) { index in try decode(columns[index], rowGroup: rowGroup, rows: rowNumbers) }
    }

    /// A dimension's members or an exact fact column's values at a few rows; nil for what needs
    /// the whole chunk (expressions, floating point).
    private func decodeFew(_ column: DrillThroughQuery.Column, reader: RowGroupReader,
                           rows: UnsafeBufferPointer<Int32>) throws -> [ResultValue]? {
        if let attributeIndex = column.attribute {
            let attribute = catalog.attributes[attributeIndex]
            return try reader.values(attribute.column, at: rows).values.map { Self.member(attribute, storedCode: UInt32(truncatingIfNeeded: $0)) }
        }
        guard let expression = column.expression, case let .column(index, _, _) = expression,
              case let .exact(scale) = expression.valueType else { return nil }
        let (values, nulls) = try reader.values(index, at: rows)
        return values.indices.map { position in
            if nulls?[position] == true { return .null }
            return .exact(units: values[position], scale: scale)
        }
    }

    /// The member a stored code stands for, through the level's code map if the attribute is a level.
    private static func member(_ attribute: GroupAttribute, storedCode: UInt32) -> ResultValue {
        attribute.dictionary.value(of: code(attribute, storedCode: storedCode)).map(ResultValue.text) ?? .null
    }

    /// The attribute's code of a stored code: the level's code through its code map, else itself.
    private static func code(_ attribute: GroupAttribute, storedCode: UInt32) -> UInt32 {
        attribute.codeMap.map { $0[Int(storedCode)] } ?? storedCode
    }

    private func decode(_ column: DrillThroughQuery.Column, rowGroup: Int, rows rowNumbers: [Int]) throws -> [ResultValue] {
        let reader = RowGroupReader(store: catalog.cube.store)
        reader.start(rowGroup: rowGroup)
        if let attributeIndex = column.attribute {
            let attribute = catalog.attributes[attributeIndex]
            let codes = try reader.codes(attribute.column)
            return rowNumbers.map { Self.member(attribute, storedCode: codes[$0]) }
        }
        guard let expression = column.expression else { return rowNumbers.map { _ in .null } }
        let evaluator = ExpressionEvaluator(reader: reader)
        // Only the rows shown count: another row of the group may overflow where the filter dropped it.
        let shown = rowNumbers.map { Int32($0) }
        let values = try shown.withUnsafeBufferPointer { try evaluator.evaluate(expression, rows: $0) }
        defer { withExtendedLifetime(evaluator) {} }
        if case let .exact(scale) = expression.valueType {
            return rowNumbers.map { row in
                if values.isNull(row) { return .null }
                return .exact(units: values.words[row], scale: scale)
            }
        }
        return rowNumbers.map { values.isNull($0) ? .null : .double(values.double($0)) }
    }

    /// The first `count` rows by `order` (ties in storage order), kept in storage order, so that
    /// sorting them later gives what sorting every row would have.
    private static func firstRows(_ rows: [[ResultValue]], count: Int, order: [BoundOrder]) -> [[ResultValue]] {
        let picked = TopSelection.first(count, of: rows.count, width: order.count, placeholder: .null,
                                        keys: { index, keys in
                                            for (position, item) in order.enumerated() { keys[position] = rows[index][item.output] }
                                        },
                                        by: { a, i, b, j in ResultOrdering.precedes(a, b, order) ?? (i < j) })
        return picked.sorted().map { rows[$0] }
    }

    /// What one stretch of row groups gave: its rows in storage order and its counts.
    private struct Stretch {
        var rows: [[ResultValue]] = []
        var scan = ScanStatistics()
        var compacted = false
        /// The slice total's units over the stretch, and how many of its rows had a value.
        var total: Int128 = 0
        var totalValues = 0
        /// A bit per code of the counted dimension: the members of the stretch's rows.
        var members: [UInt64] = []
    }

    /// Sets the bits of the counted dimension's members at `rows` of the current row group.
    private func markMembers(_ attribute: GroupAttribute, rows: [Int], reader: RowGroupReader, in stretch: inout Stretch) throws {
        if stretch.members.isEmpty { stretch.members = [UInt64](repeating: 0, count: (attribute.codeCount + 63) / 64) }
        let stored = rows.map { Int32($0) }
        let codes = try stored.withUnsafeBufferPointer { try reader.values(attribute.column, at: $0).values }
        for storedCode in codes {
            let code = Int(Self.code(attribute, storedCode: UInt32(truncatingIfNeeded: storedCode)))
            stretch.members[code >> 6] |= 1 << UInt64(code & 63)
        }
    }

    /// How many members the stretches' bits hold, NULL (code 0) aside.
    private static func memberCount(_ stretches: [Stretch]) -> Int {
        var merged: [UInt64] = []
        for stretch in stretches where !stretch.members.isEmpty {
            if merged.isEmpty { merged = stretch.members; continue }
            for word in merged.indices { merged[word] |= stretch.members[word] }
        }
        guard !merged.isEmpty else { return 0 }
        merged[0] &= ~1
        return merged.reduce(0) { $0 + $1.nonzeroBitCount }
    }

    /// Adds the slice total's column over `selection` (the rows of the slice in the current row group).
    private static func addTotal(_ total: DrillThroughQuery.SliceTotal, over selection: RowSelection, reader: RowGroupReader,
                                 to stretch: inout Stretch) throws {
        guard selection.count > 0 else { return }
        let rows = selection.buffer
        let (values, nulls) = try reader.values(total.column, rows: rows)
        var sum: Int128 = 0, counted = 0
        func add(_ row: Int) {
            if nulls?.isNull(row) == true { return }
            sum += Int128(values[row])
            counted += 1
        }
        if let rows { for row in rows { add(Int(row)) } } else { for row in 0..<selection.count { add(row) } }
        stretch.total += sum
        stretch.totalValues += counted
    }

    /// Filters and decodes the row groups of `range` in order. Without ORDER BY it stops once
    /// `wanted` rows are found; with it, it keeps only the best `kept` rows so far (memory
    /// bounded by the limit, not the slice).
    private func scan(_ range: Range<Int>, wanted: Int?, kept: Int?, cancellation: Cancellation) throws -> Stretch {
        let store = catalog.cube.store
        let pruner = ChunkPruner(store: store)
        let reader = RowGroupReader(store: store)
        let evaluator = PredicateEvaluator(pruner: pruner, reader: reader)
        var stretch = Stretch()
        for rowGroup in range {
            if cancellation.isCancelled { throw QueryError.cancelled }
            if let wanted, stretch.rows.count >= wanted { break }
            var selected: [Int32]? = nil
            reader.start(rowGroup: rowGroup)
            // The slice of a total first: its rows are summed, then filtered.
            var candidates = RowSelection.all(reader.rowCount)
            if let total = query.sliceTotal {
                if let slice = total.slice {
                    if pruner.verdict(slice, rowGroup: rowGroup) == .none { stretch.scan.rowGroupsSkipped += 1; continue }
                    candidates = try evaluator.select(slice)
                }
                try Self.addTotal(total, over: candidates, reader: reader, to: &stretch)
            }
            if let filter = query.filter {
                switch pruner.verdict(filter, rowGroup: rowGroup) {
                case .none:
                    evaluator.pool.release(candidates)
                    stretch.scan.rowGroupsSkipped += 1
                    continue
                case .all where candidates.isAll: stretch.scan.rowGroupsFullyMatched += 1
                case .all, .some: candidates = try evaluator.select(filter, among: candidates)
                }
            }
            if !candidates.isAll {
                selected = Array(candidates.buffer ?? UnsafeBufferPointer(start: nil, count: 0))
                evaluator.pool.release(candidates)
            }
            let rowNumbers = selected.map { $0.map(Int.init) } ?? Array(0..<reader.rowCount)
            stretch.scan.rowsScanned += reader.rowCount
            stretch.scan.rowsMatched += rowNumbers.count
            if rowNumbers.isEmpty { continue }
            if let counted = query.countedMembers, let attribute = query.columns[counted].attribute {
                try markMembers(catalog.attributes[attribute], rows: rowNumbers, reader: reader, in: &stretch)
            }
            let columnValues = try decodeColumns(rowGroup: rowGroup, rows: rowNumbers)
            stretch.scan.chunksDecoded += query.columns.count
            for index in rowNumbers.indices { stretch.rows.append(columnValues.map { $0[index] }) }
            if let kept, kept <= Int.max / 4, stretch.rows.count > 2 * kept + 4_096 {
                stretch.rows = Self.firstRows(stretch.rows, count: kept, order: query.order)
                stretch.compacted = true
            }
        }
        stretch.scan.chunksDecoded += reader.chunksDecoded
        stretch.scan.kernels = evaluator.kernelRuns
        return stretch
    }

    func run(cancellation: Cancellation, profile: inout ExecutionProfile) throws -> QueryResult {
        try runWithTotal(cancellation: cancellation, profile: &profile).result
    }

    /// The rows; the slice total when the query asks for one: the sum in the column's units
    /// (NULL when no row of the slice has a value, as SUM gives), or an error if it overflows;
    /// and the count of distinct members when the query asks for it.
    func runWithTotal(cancellation: Cancellation, profile: inout ExecutionProfile) throws
        -> (result: QueryResult, total: ResultValue, members: Int?) {
        let started = DispatchTime.now()
        let store = catalog.cube.store
        let reached = ResultOrdering.rowsThrough(limit: query.limit, offset: query.offset)
        let wanted = query.order.isEmpty ? reached : nil
        let kept = query.order.isEmpty ? nil : reached
        // A scan that reads every row group splits them into fixed stretches, several per core
        // and taken by whichever core is free, since the matches of a filter bunch up (a month's
        // active accounts sit in the later row groups); the stretches' rows, concatenated in
        // order, are the rows in storage order. A scan that may stop early (LIMIT without ORDER
        // BY) reads them in order on this thread.
        let workers = wanted == nil ? max(1, min(activeProcessorCount(), store.rowGroupCount / 8)) : 1
        let parts = workers == 1 ? 1 : min(store.rowGroupCount / 8, workers * Self.stretchesPerCore)
        let stretches: [Stretch]
        do {
            stretches = try parallelMap(parts) { part in
                let range = (store.rowGroupCount * part / parts)..<(store.rowGroupCount * (part + 1) / parts)
                return try scan(range, wanted: wanted, kept: kept, cancellation: cancellation)
            }
        } catch let error as QueryError {
            throw error
        } catch {
            throw QueryError.storage(error)
        }
        var rows: [[ResultValue]] = []
        var compacted = false
        var total: Int128 = 0, totalValues = 0
        profile.scan.rowGroups = store.rowGroupCount
        profile.scan.workers = workers
        for stretch in stretches {
            rows += stretch.rows
            profile.scan.add(stretch.scan)
            compacted = compacted || stretch.compacted
            total += stretch.total
            totalValues += stretch.totalValues
        }
        var totalValue = ResultValue.null
        if let sliceTotal = query.sliceTotal, totalValues > 0 {
            guard let units = Int64(exactly: total) else {
                throw QueryError("the sum of '\(store.columns[sliceTotal.column].name)' overflows 64-bit integer units", at: .synthesized)
            }
            totalValue = sliceTotal.scale == 0 ? .integer(units) : .decimal(units: units, scale: sliceTotal.scale)
        }
        rows = ResultOrdering.apply(query.order, limit: query.limit, offset: query.offset, to: rows)
        let visible = query.columns.indices.filter { !query.columns[$0].hidden }
        if visible.count != query.columns.count { rows = rows.map { row in visible.map { row[$0] } } }
        profile.rowsOut = rows.count
        profile.strategy = (compacted ? "drill-through: fact rows, the first \(Thousands.grouped(kept ?? 0)) by ORDER BY kept while scanning"
            : "drill-through: fact rows in storage order")
            + (workers > 1 ? "; row groups in \(parts) stretches over \(workers) threads" : "")
        profile.totalMilliseconds = milliseconds(since: started)
        let columns = visible.map { ResultColumn(name: query.columns[$0].name, role: query.columns[$0].role, format: query.columns[$0].format) }
        let members = query.countedMembers.map { _ in Self.memberCount(stretches) }
        return (QueryResult(columns: columns, rows: rows), totalValue, members)
    }
}
