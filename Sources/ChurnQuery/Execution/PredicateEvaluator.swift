import ChurnStorage
import ChurnSyntax

/// Evaluates a WHERE predicate over one row group into the list of rows that pass.
///
/// Each condition narrows the rows still selected: AND hands its survivors to the next condition
/// (cheapest first) and stops once none is left, so later columns are not even decoded. Chunk
/// statistics decide whole row groups first; a comparison of a fact column with a constant runs
/// on the chunk's encoding: the listed positions of a sparse chunk, once per run of a run-length
/// chunk, or a tight loop over decoded integers, exactly in the column's units. One per worker.
final class PredicateEvaluator {
    let pruner: ChunkPruner
    let expressions: ExpressionEvaluator
    let pool = SelectionPool()
    /// How many times each kernel ran, for EXPLAIN.
    private(set) var kernelRuns = PredicateKernelCounts()

    var reader: RowGroupReader { expressions.reader }

    init(pruner: ChunkPruner, reader: RowGroupReader) {
        self.pruner = pruner
        self.expressions = ExpressionEvaluator(reader: reader)
    }

    /// The rows of the current row group passing `predicate`. The result's buffer belongs to `pool`.
    func select(_ predicate: RowPredicate) throws -> RowSelection {
        try select(predicate, among: .all(reader.rowCount))
    }

    /// The rows of `candidates` passing `predicate`; consumes `candidates` (its buffer may be reused).
    func select(_ predicate: RowPredicate, among candidates: RowSelection) throws -> RowSelection {
        switch pruner.verdict(predicate, rowGroup: reader.rowGroup) {
        case .none: pool.release(candidates); return pool.none()
        case .all: return candidates
        case .some: break
        }
        switch predicate {
        case let .constant(value):
            if value { return candidates }
            pool.release(candidates)
            return pool.none()
        case let .codes(column, codes, _):
            return try selectCodes(column, codes, among: candidates)
        case let .compare(left, op, right):
            if case let .column(column, _, type) = left, type != .double, case let .constant(value) = right,
               let threshold = IntegerThreshold(op, value, columnType: type) {
                return try selectThreshold(column, threshold, among: candidates)
            }
            return try selectComparison(left, op, right, among: candidates)
        case let .isNull(column, _, negated):
            let (_, nulls) = try reader.values(column)
            kernelRuns.nullTests += 1
            guard let nulls else {
                if negated { return candidates }
                pool.release(candidates)
                return pool.none()
            }
            return filter(candidates) { nulls.isNull($0) != negated }
        case let .and(children):
            var selection = candidates
            for child in cheapestFirst(children) where selection.count > 0 {
                selection = try select(child, among: selection)
            }
            return selection
        case let .or(children):
            var accepted = pool.none()
            var remaining = candidates
            for child in children where remaining.count > 0 {
                let passing = try select(child, among: copy(remaining))
                let widened = pool.union(accepted, passing, rowCount: reader.rowCount)
                let narrowed = pool.subtract(remaining, passing)
                pool.release(accepted); pool.release(passing); pool.release(remaining)
                accepted = widened
                remaining = narrowed
            }
            pool.release(remaining)
            return accepted
        }
    }

    // MARK: - Kernels

    /// Whether `predicate` on all rows would list its rows from postings: a few of many cycling
    /// codes (a month of an account-clustered store).
    private func usesPostings(_ predicate: RowPredicate) -> Bool {
        guard case let .codes(column, codes, _) = predicate else { return false }
        return postingsCodes(column, codes) != nil
    }

    /// The chunk's codes `codes` selects, when postings should list their rows.
    private func postingsCodes(_ column: Int, _ codes: CodeSet) -> (distinct: [UInt32], wanted: [UInt32])? {
        let chunk = reader.chunk(column)
        guard ChunkPostings.applies(to: chunk), !codes.contains(0), let distinct = chunk.statistics.distinctCodes else { return nil }
        let wanted = distinct.filter { codes.contains($0) }
        return wanted.count * 4 <= distinct.count ? (distinct, wanted) : nil
    }

    private func selectCodes(_ column: Int, _ codes: CodeSet, among candidates: RowSelection) throws -> RowSelection {
        if candidates.isAll, let (distinct, wanted) = postingsCodes(column, codes) {
            kernelRuns.postings += 1
            let postings = try reader.store.postings.postings(column: column, rowGroup: reader.rowGroup) {
                ChunkPostings(codes: distinct, rowCodes: try reader.codes(column))
            }
            let output = pool.take()
            var kept = 0
            for code in wanted {
                for row in postings.rows(of: code) { output[kept] = Int32(row); kept += 1 }
            }
            if wanted.count > 1 {
                var listed = UnsafeMutableBufferPointer(start: output, count: kept)
                listed.sort()
            }
            return RowSelection(rows: output, count: kept)
        }
        if candidates.isAll, let runs = try reader.codeRuns(column) {
            // Decided once per run: dimensions are constant over an account's rows.
            kernelRuns.dictionaryRuns += 1
            return emitRuns(runs) { codes.contains(UInt32(truncatingIfNeeded: $0)) }
        }
        if let rows = candidates.buffer, rows.count * 8 < reader.rowCount {
            // Few candidates: their codes alone, walked along runs where the chunk has them.
            kernelRuns.dictionaryCodes += 1
            let picked = pool.take()
            defer { pool.release(RowSelection(rows: picked, count: 0)) }
            let pickedCodes = UnsafeMutableRawPointer(picked).bindMemory(to: UInt32.self, capacity: rows.count)
            try reader.codes(column, at: rows, into: pickedCodes)
            return codes.words.withUnsafeBufferPointer { words in
                let wordCount = UInt32(words.count)
                var index = 0
                return filter(candidates) { _ in
                    let code = pickedCodes[index]
                    index += 1
                    let word = code >> 6
                    return word < wordCount && (words[Int(word)] >> UInt64(code & 63)) & 1 != 0
                }
            }
        }
        kernelRuns.dictionaryCodes += 1
        let rowCodes = try reader.codes(column)
        return codes.words.withUnsafeBufferPointer { words in
            let wordCount = UInt32(words.count)
            return filter(candidates) { row in
                let code = rowCodes[row]
                let word = code >> 6
                return word < wordCount && (words[Int(word)] >> UInt64(code & 63)) & 1 != 0
            }
        }
    }

    private func selectThreshold(_ column: Int, _ threshold: IntegerThreshold, among candidates: RowSelection) throws -> RowSelection {
        let chunk = reader.chunk(column)
        if candidates.isAll && chunk.nullCount == 0 && chunk.encoding == .sparse {
            // Rows off the list hold the common value: decide it once, then walk the list.
            kernelRuns.sparse += 1
            let commonPasses = threshold.holds(chunk.common)
            let output = pool.take()
            var kept = 0
            if commonPasses {
                // Every row but the listed ones that fail.
                var next = 0
                _ = try reader.visitSparse(column) { position, value in
                    while next < position { output[kept] = Int32(truncatingIfNeeded: next); kept += 1; next += 1 }
                    output[kept] = Int32(truncatingIfNeeded: position)
                    kept += threshold.holds(value) ? 1 : 0
                    next = position + 1
                }
                while next < reader.rowCount { output[kept] = Int32(truncatingIfNeeded: next); kept += 1; next += 1 }
            } else {
                _ = try reader.visitSparse(column) { position, value in
                    output[kept] = Int32(truncatingIfNeeded: position)
                    kept += threshold.holds(value) ? 1 : 0
                }
            }
            return RowSelection(rows: output, count: kept)
        }
        if candidates.isAll, let runs = try reader.valueRuns(column) {
            kernelRuns.runs += 1
            return emitRuns(runs) { threshold.holds($0) }
        }
        kernelRuns.plain += 1
        let (values, nulls) = try reader.values(column, rows: candidates.buffer)
        if let nulls { return filter(candidates) { !nulls.isNull($0) && threshold.holds(values[$0]) } }
        if threshold.excluded != nil { return filter(candidates) { threshold.holds(values[$0]) } }
        let (low, high) = (threshold.low, threshold.high)
        return filter(candidates) { values[$0] >= low && values[$0] <= high }
    }

    /// A comparison of two row expressions: exactly when both are exact, else in floating point.
    private func selectComparison(_ left: RowExpression, _ op: BinaryOperator, _ right: RowExpression,
                                  among candidates: RowSelection) throws -> RowSelection {
        kernelRuns.expressions += 1
        // Only the candidates' overflows count: rows already filtered out may hold any value.
        let rows = candidates.buffer
        if case let .exact(leftScale) = left.valueType, case let .exact(rightScale) = right.valueType {
            let scale = max(leftScale, rightScale)
            // Each side at its own scale, brought to the common one in 128 bits: money compared with
            // an integer near 2^63 has no 64-bit value in cents, and the comparison still has an answer.
            if leftScale != rightScale, let leftFactor = power10(scale - leftScale), let rightFactor = power10(scale - rightScale) {
                let a = try expressions.exact(left, scale: leftScale, rows: rows)
                defer { expressions.release(a) }
                let b = try expressions.exact(right, scale: rightScale, rows: rows)
                defer { expressions.release(b) }
                let (x, y) = (Int128(leftFactor), Int128(rightFactor))
                return filter(candidates) {
                    !a.isNull($0) && !b.isNull($0) && op.holds(Int128(a.words[$0]) * x, Int128(b.words[$0]) * y)
                }
            }
            let a = try expressions.exact(left, scale: scale, rows: rows)
            defer { expressions.release(a) }
            let b = try expressions.exact(right, scale: scale, rows: rows)
            defer { expressions.release(b) }
            return filter(candidates) { !a.isNull($0) && !b.isNull($0) && op.holds(a.words[$0], b.words[$0]) }
        }
        let a = try expressions.doubles(left, rows: rows)
        defer { expressions.release(a) }
        let b = try expressions.doubles(right, rows: rows)
        defer { expressions.release(b) }
        return filter(candidates) { !a.isNull($0) && !b.isNull($0) && op.holds(a.double($0), b.double($0)) }
    }

    // MARK: - Helpers

    /// Keeps the candidates `body` accepts, in place when they are a list.
    @inline(__always)
    private func filter(_ candidates: RowSelection, _ body: (Int) -> Bool) -> RowSelection {
        guard let rows = candidates.rows else { return pool.filter(candidates, body) }
        var kept = 0
        for index in 0..<candidates.count {
            let row = rows[index]
            rows[kept] = row
            kept += body(Int(row)) ? 1 : 0
        }
        return RowSelection(rows: rows, count: kept)
    }

    private func emitRuns(_ runs: [(value: Int64, length: Int)], _ passes: (Int64) -> Bool) -> RowSelection {
        let output = pool.take()
        var kept = 0
        var row = 0
        for run in runs {
            if passes(run.value) {
                for offset in 0..<run.length { output[kept + offset] = Int32(row + offset) }
                kept += run.length
            }
            row += run.length
        }
        return RowSelection(rows: output, count: kept)
    }

    private func copy(_ selection: RowSelection) -> RowSelection {
        guard let rows = selection.rows else { return selection }
        let output = pool.take()
        output.update(from: rows, count: selection.count)
        return RowSelection(rows: output, count: selection.count)
    }

    /// Conditions ordered by what they cost on this row group against how many rows they drop
    /// (cost / share dropped, the classic order of a conjunction): a cheap condition that keeps
    /// nearly every row (`churned = 0`) goes after one that keeps a month out of 36, whose later
    /// conditions then read a few rows where they lie.
    private func cheapestFirst(_ children: [RowPredicate]) -> [RowPredicate] {
        let ranks = children.map { child -> Double in
            let dropped = 1 - passingShare(child)
            // Listing a few codes' rows from postings costs next to nothing.
            let cost = usesPostings(child) ? 0.1 : Double(cost(child))
            return dropped > 0 ? cost / dropped : .infinity
        }
        if zip(ranks, ranks.dropFirst()).allSatisfy({ $0 <= $1 }) { return children }
        return children.indices.sorted { (ranks[$0], $0) < (ranks[$1], $1) }.map { children[$0] }
    }

    /// The share of this row group's rows a condition is expected to keep, from what the chunk
    /// header tells without decoding: the listed positions of a sparse chunk, the distinct codes
    /// of a dimension chunk; one half when nothing is known.
    private func passingShare(_ predicate: RowPredicate) -> Double {
        let unknown = 0.5
        switch predicate {
        case let .constant(value): return value ? 1 : 0
        case let .codes(column, codes, _):
            guard let distinct = reader.chunk(column).statistics.distinctCodes, !distinct.isEmpty else { return unknown }
            return Double(distinct.filter { codes.contains($0) }.count) / Double(distinct.count)
        case let .compare(.column(column, _, type), op, .constant(value)):
            let chunk = reader.chunk(column)
            guard chunk.encoding == .sparse, chunk.nullCount == 0, chunk.rowCount > 0, type != .double,
                  let threshold = IntegerThreshold(op, value, columnType: type) else { return unknown }
            let listed = Double(chunk.entryCount) / Double(chunk.rowCount)
            return threshold.holds(chunk.common) ? 1 - listed : listed
        case let .and(children): return children.reduce(1) { $0 * passingShare($1) }
        case let .or(children): return min(1, children.reduce(0) { $0 + passingShare($1) })
        default: return unknown
        }
    }

    private func cost(_ predicate: RowPredicate) -> Int {
        func chunkCost(_ column: Int) -> Int {
            let chunk = reader.chunk(column)
            switch chunk.encoding {
            case .constant: return 0
            case .sparse, .runLength: return 1
            case .plain: return 3
            }
        }
        switch predicate {
        case .constant: return 0
        case let .codes(column, _, _): return chunkCost(column)
        case let .isNull(column, _, _): return chunkCost(column)
        case let .compare(left, _, right):
            if case let .column(column, _, _) = left, case .constant = right { return chunkCost(column) }
            return 3 * (left.columns.count + right.columns.count) + 2
        case let .and(children), let .or(children): return children.reduce(0) { $0 + cost($1) }
        }
    }
}

/// Which predicate kernels ran, counted over row groups.
struct PredicateKernelCounts {
    var sparse = 0
    var runs = 0
    var plain = 0
    var dictionaryRuns = 0
    var dictionaryCodes = 0
    var postings = 0
    var nullTests = 0
    var expressions = 0

    mutating func add(_ other: PredicateKernelCounts) {
        sparse += other.sparse; runs += other.runs; plain += other.plain
        dictionaryRuns += other.dictionaryRuns; dictionaryCodes += other.dictionaryCodes; postings += other.postings
        nullTests += other.nullTests; expressions += other.expressions
    }

    var isEmpty: Bool { sparse + runs + plain + dictionaryRuns + dictionaryCodes + postings + nullTests + expressions == 0 }
}

/// `column op constant` as a closed range of the column's stored integer units, exactly: money
/// compares in cents, so `mrr_start > 10.005` is `mrr_start >= 1001` cents.
struct IntegerThreshold {
    var low: Int64
    var high: Int64
    /// `<>` excludes one value instead of keeping a range.
    var excluded: Int64?

    @inline(__always) func holds(_ value: Int64) -> Bool {
        if let excluded { return value != excluded }
        return value >= low && value <= high
    }

    init?(_ op: BinaryOperator, _ constant: Double, columnType: ColumnType) {
        let columnScale: Int
        if case let .decimal(scale) = columnType { columnScale = scale } else { columnScale = 0 }
        guard let (units, constantScale) = RowExpression.exactUnits(of: constant) else { return nil }
        // The constant as units of the column: exact when its scale fits, else bracketed by floor and ceiling.
        var floorUnits: Int64, ceilingUnits: Int64
        if constantScale <= columnScale {
            guard let factor = power10(columnScale - constantScale) else { return nil }
            let (scaled, overflow) = units.multipliedReportingOverflow(by: factor)
            if overflow { return nil }
            floorUnits = scaled; ceilingUnits = scaled
        } else {
            guard let divisor = power10(constantScale - columnScale) else { return nil }
            let quotient = units / divisor, remainder = units % divisor
            floorUnits = remainder < 0 ? quotient - 1 : quotient
            ceilingUnits = remainder > 0 ? quotient + 1 : quotient
        }
        let exact = floorUnits == ceilingUnits
        low = .min; high = .max; excluded = nil
        switch op {
        case .equal:
            if !exact { low = 1; high = 0 } else { low = floorUnits; high = floorUnits }
        case .notEqual:
            if exact { excluded = floorUnits }
        case .less: high = exact ? floorUnits &- 1 : floorUnits
        case .lessOrEqual: high = floorUnits
        case .greater: low = exact ? ceilingUnits &+ 1 : ceilingUnits
        case .greaterOrEqual: low = ceilingUnits
        default: return nil
        }
        // `< Int64.min` and `> Int64.max` wrapped above: nothing passes.
        if (op == .less && exact && floorUnits == .min) || (op == .greater && exact && ceilingUnits == .max) { low = 1; high = 0 }
    }
}
