/// SUM of an exact expression (integers, money), in 128 bits so that no sum wraps: all-zero
/// chunks cost nothing, sparse chunks only their listed entries, run-length chunks one addition
/// per run and row. A sum past 64 bits is an error when the result is read, never a wrapped value.
final class ExactSumAggregate: GroupedAggregate {
    let input: RowExpression
    /// The result is in units of 10^-scale.
    let scale: Int
    private var sums: [Int128] = []
    /// Rows whose input was NULL: a slot of only NULLs sums to NULL.
    private var nullRows: [Int64] = []

    /// The input as ± columns (`churned_mrr + downsell_mrr`), each with the factor that brings it
    /// to `scale`: where no term is NULL in a row group, the sum is the sum of the terms' sums,
    /// each read through its chunk's encoding. A term whose NULL counts as 0 may hold NULLs.
    private let terms: [(column: Int, factor: Int128, nullIsZero: Bool)]?

    init(input: RowExpression, scale: Int) {
        self.input = input
        self.scale = scale
        terms = Self.linearTerms(input, scale: scale, sign: 1, nullIsZero: false)
    }

    private static func linearTerms(_ expression: RowExpression, scale: Int, sign: Int128,
                                    nullIsZero: Bool) -> [(column: Int, factor: Int128, nullIsZero: Bool)]? {
        switch expression {
        case let .column(column, _, type):
            let columnScale: Int
            switch type {
            case let .decimal(decimalScale): columnScale = decimalScale
            case .integer: columnScale = 0
            default: return nil
            }
            guard let factor = power10(scale - columnScale) else { return nil }
            return [(column, sign * Int128(factor), nullIsZero)]
        case let .negate(inner):
            return linearTerms(inner, scale: scale, sign: -sign, nullIsZero: nullIsZero)
        case let .zeroIfNull(inner):
            // Only a column's own NULL is a 0 of its own; in a − b, b's NULL makes the whole 0.
            guard case .column = inner else { return nil }
            return linearTerms(inner, scale: scale, sign: sign, nullIsZero: true)
        case let .arithmetic(op, left, right) where op == .add || op == .subtract:
            guard let l = linearTerms(left, scale: scale, sign: sign, nullIsZero: nullIsZero),
                  let r = linearTerms(right, scale: scale, sign: op == .add ? sign : -sign, nullIsZero: nullIsZero) else { return nil }
            return l + r
        default:
            return nil
        }
    }

    func appendSlots(_ count: Int) {
        sums.append(contentsOf: repeatElement(0, count: count))
        nullRows.append(contentsOf: repeatElement(0, count: count))
    }

    func update(_ batch: ScanBatch) throws {
        guard let terms else { return try updateExpression(batch) }
        if terms.count > 1 && terms.contains(where: { !$0.nullIsZero && batch.reader.chunk($0.column).nullCount > 0 }) {
            // A NULL term makes its row's value NULL: evaluate the expression row by row.
            return try updateExpression(batch)
        }
        for term in terms { try add(term.column, factor: term.factor, countingNulls: !term.nullIsZero, batch) }
    }

    /// Adds one column's values times `factor` into the slots; a NULL adds nothing, and counts
    /// towards the slot's NULL rows when `countingNulls`.
    private func add(_ column: Int, factor: Int128, countingNulls: Bool, _ batch: ScanBatch) throws {
        let reader = batch.reader
        let chunk = reader.chunk(column)
        if chunk.statistics.isAllZero { return }
        let slots = batch.slots
        let visited = try sums.withUnsafeMutableBufferPointer { sums in
            if let selection = batch.selection {
                // Walk the listed entries and the selected rows together.
                var next = 0
                return try reader.visitSparse(column) { position, value in
                    while next < selection.count && Int(selection[next]) < position { next += 1 }
                    if next < selection.count && Int(selection[next]) == position { sums[Int(slots[position])] &+= Int128(value) * factor }
                }
            }
            return try reader.visitSparse(column) { position, value in sums[Int(slots[position])] &+= Int128(value) * factor }
        }
        if visited { return }
        // A few selected rows read their values where they lie; runs pay when most rows count.
        let fewRows = batch.selection.map { $0.count * 8 < batch.rowCount } ?? false
        if !fewRows, let runs = try reader.valueRuns(column) {
            sums.withUnsafeMutableBufferPointer { sums in
                if let selection = batch.selection {
                    runs.withUnsafeBufferPointer { runs in
                        var run = 0
                        var runEnd = runs.isEmpty ? 0 : runs[0].length
                        for row32 in selection {
                            let row = Int(row32)
                            while row >= runEnd { run += 1; runEnd += runs[run].length }
                            sums[Int(slots[row])] &+= Int128(runs[run].value) * factor
                        }
                    }
                } else if let slotRuns = batch.slotRuns {
                    // Both sides in runs: add value x overlap where a value run meets a slot run.
                    var valueIndex = 0
                    var valueLeft = runs.isEmpty ? 0 : runs[0].length
                    for slotRun in slotRuns {
                        var slotLeft = Int(slotRun.length)
                        let slot = Int(slotRun.slot)
                        while slotLeft > 0 {
                            while valueLeft == 0 { valueIndex += 1; valueLeft = runs[valueIndex].length }
                            let overlap = min(slotLeft, valueLeft)
                            sums[slot] &+= Int128(runs[valueIndex].value) * Int128(overlap) * factor
                            slotLeft -= overlap
                            valueLeft -= overlap
                        }
                    }
                } else {
                    var start = 0
                    for run in runs {
                        let value = Int128(run.value) * factor
                        for row in start..<(start + run.length) { sums[Int(slots[row])] &+= value }
                        start += run.length
                    }
                }
            }
            return
        }
        let (values, nulls) = try reader.values(column, rows: batch.selection)
        sums.withUnsafeMutableBufferPointer { sums in
            if let nulls {
                nullRows.withUnsafeMutableBufferPointer { nullRows in
                    batch.forEachRow { row in
                        if nulls.isNull(row) {
                            if countingNulls { nullRows[Int(slots[row])] += 1 }
                        } else {
                            sums[Int(slots[row])] &+= Int128(values[row]) * factor
                        }
                    }
                }
            } else if factor == 1 {
                batch.forEachRow { row in sums[Int(slots[row])] &+= Int128(values[row]) }
            } else {
                batch.forEachRow { row in sums[Int(slots[row])] &+= Int128(values[row]) * factor }
            }
        }
    }

    private func updateExpression(_ batch: ScanBatch) throws {
        let values = try batch.expressions.exact(input, scale: scale, rows: batch.selection)
        defer { batch.expressions.release(values) }
        let slots = batch.slots
        sums.withUnsafeMutableBufferPointer { sums in
            nullRows.withUnsafeMutableBufferPointer { nullRows in
                if let nulls = values.nulls {
                    batch.forEachRow { row in
                        if nulls[row] != 0 { nullRows[Int(slots[row])] += 1 } else { sums[Int(slots[row])] &+= Int128(values.words[row]) }
                    }
                } else {
                    batch.forEachRow { row in sums[Int(slots[row])] &+= Int128(values.words[row]) }
                }
            }
        }
    }

    func combine(_ other: any GroupedAggregate, slot source: Int, into target: Int) {
        let from = unsafeDowncast(other, to: ExactSumAggregate.self)
        sums[target] &+= from.sums[source]
        nullRows[target] += from.nullRows[source]
    }

    func combine(_ other: any GroupedAggregate, slots sources: [Int], into targets: [Int]) {
        let from = unsafeDowncast(other, to: ExactSumAggregate.self)
        sums.withUnsafeMutableBufferPointer { sums in
            from.sums.withUnsafeBufferPointer { theirs in
                for (source, target) in zip(sources, targets) { sums[target] &+= theirs[source] }
            }
        }
        nullRows.withUnsafeMutableBufferPointer { nullRows in
            from.nullRows.withUnsafeBufferPointer { theirs in
                for (source, target) in zip(sources, targets) { nullRows[target] += theirs[source] }
            }
        }
    }

    func absorb(_ other: any GroupedAggregate, slotCount: Int) {
        let from = unsafeDowncast(other, to: ExactSumAggregate.self)
        sums.withUnsafeMutableBufferPointer { sums in
            from.sums.withUnsafeBufferPointer { theirs in for slot in 0..<slotCount { sums[slot] &+= theirs[slot] } }
        }
        nullRows.withUnsafeMutableBufferPointer { nullRows in
            from.nullRows.withUnsafeBufferPointer { theirs in for slot in 0..<slotCount { nullRows[slot] += theirs[slot] } }
        }
    }

    func makeEmpty() -> any GroupedAggregate { ExactSumAggregate(input: input, scale: scale) }

    func value(slot: Int, rows: Int64) -> ResultValue {
        if rows - nullRows[slot] <= 0 { return .null }
        guard let units = Int64(exactly: sums[slot]) else { return .null }
        return .exact(units: units, scale: scale)
    }

    /// The slot's sum in units of 10^-scale, exactly (0 over NULLs alone).
    func exactSum(slot: Int) -> Int128 { sums[slot] }

    func doubleValue(slot: Int, rows: Int64) -> Double? {
        if rows - nullRows[slot] <= 0 { return nil }
        return Self.double(sums[slot], divisor: scale == 0 ? nil : pow10(scale))
    }

    /// A sum in units as a double, divided by 10^scale (`divisor`, nil at scale 0).
    @inline(__always)
    private static func double(_ sum: Int128, divisor: Double?) -> Double {
        // Through 64 bits where the sum fits: the standard library converts Int128 generically, slowly.
        let units = Int64(exactly: sum).map(Double.init) ?? Double(sum)
        return divisor.map { units / $0 } ?? units
    }

    /// One tight loop over the slots: a grouping of hundreds of thousands of cells reads its
    /// slots out of order (sorted by key), so the loads are better issued together.
    func doubleValues(slots: [Int], rows: [Int64]) -> [Double] {
        let divisor = scale == 0 ? nil : pow10(scale)
        return [Double](unsafeUninitializedCapacity: slots.count) { values, initialized in
            sums.withUnsafeBufferPointer { sums in
                nullRows.withUnsafeBufferPointer { nullRows in
                    rows.withUnsafeBufferPointer { rows in
                        for (position, slot) in slots.enumerated() {
                            values[position] = rows[slot] - nullRows[slot] <= 0 ? 0 : Self.double(sums[slot], divisor: divisor)
                        }
                    }
                }
            }
            initialized = slots.count
        }
    }

    func checkRepresentable(slots: Int) throws {
        for slot in 0..<min(slots, sums.count) where Int64(exactly: sums[slot]) == nil {
            throw Self.pastSixtyFourBits(input, sum: sums[slot], scale: scale)
        }
    }

    static func pastSixtyFourBits(_ input: RowExpression, sum: Int128, scale: Int) -> QueryError {
        QueryError("SUM(\(input)) = \(text(sum, scale: scale)) exceeds the range of 64-bit integers",
                   at: .synthesized, hint: "sums are exact and never wrap")
    }

    private static func text(_ units: Int128, scale: Int) -> String {
        guard scale > 0 else { return String(units) }
        let digits = String(units.magnitude)
        let padded = String(repeating: "0", count: max(0, scale + 1 - digits.count)) + digits
        return (units < 0 ? "-" : "") + padded.dropLast(scale) + "." + padded.suffix(scale)
    }

    var bytesPerSlot: Int { 24 }
}
