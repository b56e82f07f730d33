import ChurnStorage
import Dispatch

/// Returns fact rows (SELECT without aggregates): row groups are pruned by statistics, then
/// scanned in order; without ORDER BY the scan stops once LIMIT + OFFSET rows are found.
struct DrillThroughExecutor {
    let catalog: CubeCatalog
    let query: DrillThroughQuery

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
        let code = attribute.codeMap.map { $0[Int(storedCode)] } ?? storedCode
        return attribute.dictionary.value(of: code).map(ResultValue.text) ?? .null
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

    func run(cancellation: Cancellation, profile: inout ExecutionProfile) throws -> QueryResult {
        let started = DispatchTime.now()
        let store = catalog.cube.store
        let pruner = ChunkPruner(store: store)
        let reader = RowGroupReader(store: store)
        let evaluator = PredicateEvaluator(pruner: pruner, reader: reader)
        var rows: [[ResultValue]] = []
        let reached = ResultOrdering.rowsThrough(limit: query.limit, offset: query.offset)
        // Without ORDER BY the scan stops at LIMIT + OFFSET rows; with it, it keeps only the best
        // rows so far: memory bounded by the limit, not the slice.
        let wanted = query.order.isEmpty ? reached : nil
        let kept = query.order.isEmpty ? nil : reached
        var compacted = false
        profile.scan.rowGroups = store.rowGroupCount
        do {
            for rowGroup in 0..<store.rowGroupCount {
                if cancellation.isCancelled { throw QueryError.cancelled }
                if let wanted, rows.count >= wanted { break }
                var selected: [Int32]? = nil
                reader.start(rowGroup: rowGroup)
                if let filter = query.filter {
                    switch pruner.verdict(filter, rowGroup: rowGroup) {
                    case .none: profile.scan.rowGroupsSkipped += 1; continue
                    case .all: profile.scan.rowGroupsFullyMatched += 1
                    case .some:
                        let selection = try evaluator.select(filter)
                        selected = Array(selection.buffer ?? UnsafeBufferPointer(start: nil, count: 0))
                        if selection.isAll { selected = nil }
                        evaluator.pool.release(selection)
                    }
                }
                let rowNumbers = selected.map { $0.map(Int.init) } ?? Array(0..<reader.rowCount)
                profile.scan.rowsScanned += reader.rowCount
                profile.scan.rowsMatched += rowNumbers.count
                if rowNumbers.isEmpty { continue }
                let columnValues = try decodeColumns(rowGroup: rowGroup, rows: rowNumbers)
                profile.scan.chunksDecoded += query.columns.count
                for index in rowNumbers.indices { rows.append(columnValues.map { $0[index] }) }
                if let kept, kept <= Int.max / 4, rows.count > 2 * kept + 4_096 {
                    rows = Self.firstRows(rows, count: kept, order: query.order)
                    compacted = true
                }
            }
        } catch let error as QueryError {
            throw error
        } catch {
            throw QueryError.storage(error)
        }
        profile.scan.chunksDecoded += reader.chunksDecoded
        profile.scan.kernels = evaluator.kernelRuns
        rows = ResultOrdering.apply(query.order, limit: query.limit, offset: query.offset, to: rows)
        let visible = query.columns.indices.filter { !query.columns[$0].hidden }
        if visible.count != query.columns.count { rows = rows.map { row in visible.map { row[$0] } } }
        profile.rowsOut = rows.count
        profile.strategy = compacted ? "drill-through: fact rows, the first \(Thousands.grouped(kept ?? 0)) by ORDER BY kept while scanning"
            : "drill-through: fact rows in storage order"
        profile.totalMilliseconds = milliseconds(since: started)
        let columns = visible.map { ResultColumn(name: query.columns[$0].name, role: query.columns[$0].role, format: query.columns[$0].format) }
        return QueryResult(columns: columns, rows: rows)
    }
}
