import ChurnStorage

/// Evaluates row expressions over the rows of the reader's current row group, exactly where the
/// expression's type is exact (integers and money in units of 10^-scale, overflow an error, as
/// DuckDB's BIGINT and DECIMAL) and in floating point otherwise. One per worker thread; its
/// buffers are reused from one row group to the next.
///
/// Every row of the group is computed, or under a selective filter (fewer than an eighth of the
/// rows) only the rows the caller names, decoded where they lie; the other positions of the
/// buffers then hold nothing meaningful. An overflow is an error only on the rows the caller
/// names (those its filter kept): a row the WHERE clause excludes may hold any value.
final class ExpressionEvaluator {
    let reader: RowGroupReader

    /// One expression's values: `words` holds integer units or the bit patterns of doubles;
    /// `nulls[row]` is 1 where the value is NULL (nil: no NULL). Hand it back with `release`.
    struct Values {
        var words: UnsafeMutablePointer<Int64>
        var nulls: UnsafeMutablePointer<UInt8>?
        var isDouble: Bool

        @inline(__always) func double(_ row: Int) -> Double {
            isDouble ? Double(bitPattern: UInt64(bitPattern: words[row])) : Double(words[row])
        }
        @inline(__always) func isNull(_ row: Int) -> Bool { nulls.map { $0[row] != 0 } ?? false }
    }

    private var freeWords: [UnsafeMutablePointer<Int64>] = []
    private var freeBytes: [UnsafeMutablePointer<UInt8>] = []
    private var allWords: [UnsafeMutablePointer<Int64>] = []
    private var allBytes: [UnsafeMutablePointer<UInt8>] = []
    /// `overflowed[row]` is 1 where a step of the expression being evaluated overflowed; nil: none did.
    private var overflowed: UnsafeMutablePointer<UInt8>?
    /// The first step that overflowed, for the message.
    private var overflowedStep: RowExpression?

    /// The rows being computed when they are few; nil: every row.
    private var active: UnsafeBufferPointer<Int32>?

    init(reader: RowGroupReader) { self.reader = reader }

    /// Calls `body` for every row being computed.
    @inline(__always)
    private func forEachActive(_ body: (Int) -> Void) {
        ChurnQuery.forEachRow(reader.rowCount, active, body)
    }

    deinit {
        for buffer in allWords { buffer.deallocate() }
        for buffer in allBytes { buffer.deallocate() }
    }

    private func takeWords() -> UnsafeMutablePointer<Int64> {
        if let buffer = freeWords.popLast() { return buffer }
        let buffer = UnsafeMutablePointer<Int64>.allocate(capacity: ColumnChunk.maximumRowCount)
        allWords.append(buffer)
        return buffer
    }

    private func takeBytes() -> UnsafeMutablePointer<UInt8> {
        if let buffer = freeBytes.popLast() { return buffer }
        let buffer = UnsafeMutablePointer<UInt8>.allocate(capacity: ColumnChunk.maximumRowCount)
        allBytes.append(buffer)
        return buffer
    }

    func release(_ values: Values) {
        freeWords.append(values.words)
        if let nulls = values.nulls { freeBytes.append(nulls) }
    }

    // MARK: - Dispatch

    /// The expression's values: exact units at the expression's own scale, or doubles. Throws
    /// when a step overflows on one of `rows` (ascending; nil: every row).
    func evaluate(_ expression: RowExpression, rows: UnsafeBufferPointer<Int32>?) throws -> Values {
        switch expression.valueType {
        case let .exact(scale): return try exact(expression, scale: scale, rows: rows)
        case .double: return try doubles(expression, rows: rows)
        }
    }

    /// Exact values in units of 10^-`scale` (at least the expression's own scale); throws when a
    /// step overflows on one of `rows` (nil: every row).
    func exact(_ expression: RowExpression, scale: Int, rows: UnsafeBufferPointer<Int32>?) throws -> Values {
        try checked(rows: rows) { try exact(expression, scale: scale) }
    }

    /// Values as doubles; throws when an exact step overflows on one of `rows` (nil: every row).
    func doubles(_ expression: RowExpression, rows: UnsafeBufferPointer<Int32>?) throws -> Values {
        try checked(rows: rows) { try doubles(expression) }
    }

    // MARK: - Overflow

    private func markOverflow(_ row: Int, _ step: RowExpression) {
        if overflowed == nil {
            let marks = takeBytes()
            marks.update(repeating: 0, count: reader.rowCount)
            overflowed = marks
            overflowedStep = step
        }
        overflowed![row] = 1
    }

    /// The values `evaluation` computes, unless a step overflowed on one of `rows`; clears the
    /// marks either way.
    private func checked(rows: UnsafeBufferPointer<Int32>?, _ evaluation: () throws -> Values) throws -> Values {
        if let rows, rows.count * 8 < reader.rowCount { active = rows }
        defer {
            if let marks = overflowed { freeBytes.append(marks) }
            overflowed = nil
            overflowedStep = nil
            active = nil
        }
        let values = try evaluation()
        guard let marks = overflowed, let step = overflowedStep else { return values }
        let hit: Bool
        if let rows {
            hit = rows.contains { marks[Int($0)] != 0 }
        } else {
            hit = (0..<reader.rowCount).contains { marks[$0] != 0 }
        }
        if hit {
            release(values)
            throw Self.overflow(step)
        }
        return values
    }

    // MARK: - Exact

    private func exact(_ expression: RowExpression, scale: Int) throws -> Values {
        let rowCount = reader.rowCount
        switch expression {
        case let .column(column, _, type):
            let columnScale: Int
            if case let .decimal(decimalScale) = type { columnScale = decimalScale } else { columnScale = 0 }
            let (raw, mask) = try reader.values(column, rows: active)
            let output = takeWords()
            let nulls = nullBytes(mask)
            try rescale(raw.baseAddress!, into: output, nulls: nulls, count: rowCount, by: scale - columnScale, expression)
            return Values(words: output, nulls: nulls, isDouble: false)
        case let .constant(value):
            guard let (units, constantScale) = RowExpression.exactUnits(of: value),
                  let factor = power10(scale - constantScale) else { throw Self.overflow(expression) }
            let (scaled, didOverflow) = units.multipliedReportingOverflow(by: factor)
            if didOverflow { throw Self.overflow(expression) }
            let output = takeWords()
            fill(output, with: scaled)
            return Values(words: output, nulls: nil, isDouble: false)
        case let .integer(value):
            guard let factor = power10(scale) else { throw Self.overflow(expression) }
            let (scaled, didOverflow) = value.multipliedReportingOverflow(by: factor)
            if didOverflow { throw Self.overflow(expression) }
            let output = takeWords()
            fill(output, with: scaled)
            return Values(words: output, nulls: nil, isDouble: false)
        case let .negate(inner):
            let values = try exact(inner, scale: scale)
            forEachActive { row in
                if values.words[row] == .min && !values.isNull(row) { markOverflow(row, expression) }
                values.words[row] = 0 &- values.words[row]
            }
            return values
        case let .arithmetic(op, left, right):
            if op == .multiply {
                guard case let .exact(leftScale) = left.valueType, case let .exact(rightScale) = right.valueType else { break }
                let product = try combine(try exact(left, scale: leftScale), try exact(right, scale: rightScale), expression) {
                    $0.multipliedReportingOverflow(by: $1)
                }
                try rescale(product.words, into: product.words, nulls: product.nulls, count: rowCount, by: scale - leftScale - rightScale, expression)
                return product
            }
            guard op == .add || op == .subtract else { break }
            let leftValues = try exact(left, scale: scale)
            let rightValues = try exact(right, scale: scale)
            if op == .add { return try combine(leftValues, rightValues, expression) { $0.addingReportingOverflow($1) } }
            return try combine(leftValues, rightValues, expression) { $0.subtractingReportingOverflow($1) }
        case let .zeroIfNull(inner):
            return zeroingNulls(try exact(inner, scale: scale))
        case .approximate:
            break
        }
        throw QueryError("internal: '\(expression)' has no exact value", at: .synthesized)
    }

    /// The values with 0 (in either representation) where they were NULL, and no NULLs.
    private func zeroingNulls(_ values: Values) -> Values {
        guard let nulls = values.nulls else { return values }
        forEachActive { row in if nulls[row] != 0 { values.words[row] = 0 } }
        freeBytes.append(nulls)
        return Values(words: values.words, nulls: nil, isDouble: values.isDouble)
    }

    /// `left op right` row by row into `left`'s buffer; NULL where either is NULL.
    private func combine(_ left: Values, _ right: Values, _ expression: RowExpression,
                         _ operation: (Int64, Int64) -> (partialValue: Int64, overflow: Bool)) throws -> Values {
        let nulls = mergeNulls(left, right)
        forEachActive { row in
            let (value, overflow) = operation(left.words[row], right.words[row])
            // NULL rows hold arbitrary fillers whose overflow means nothing.
            if overflow && !(nulls.map { $0[row] != 0 } ?? false) { markOverflow(row, expression) }
            left.words[row] = value
        }
        freeWords.append(right.words)
        return Values(words: left.words, nulls: nulls, isDouble: false)
    }

    /// NULL rows of either side, in one of their buffers; the other buffer is released.
    private func mergeNulls(_ left: Values, _ right: Values) -> UnsafeMutablePointer<UInt8>? {
        switch (left.nulls, right.nulls) {
        case (nil, nil): return nil
        case let (l?, nil): return l
        case let (nil, r?): return r
        case let (l?, r?):
            forEachActive { row in l[row] |= r[row] }
            freeBytes.append(r)
            return l
        }
    }

    private func rescale(_ source: UnsafePointer<Int64>, into output: UnsafeMutablePointer<Int64>, nulls: UnsafeMutablePointer<UInt8>?,
                         count: Int, by exponent: Int, _ expression: RowExpression) throws {
        if exponent == 0 {
            if UnsafePointer(output) != source {
                if active == nil { output.update(from: source, count: count) } else { forEachActive { output[$0] = source[$0] } }
            }
            return
        }
        guard exponent > 0, let factor = power10(exponent) else { throw Self.overflow(expression) }
        forEachActive { row in
            let (value, overflow) = source[row].multipliedReportingOverflow(by: factor)
            if overflow && !(nulls.map { $0[row] != 0 } ?? false) { markOverflow(row, expression) }
            output[row] = value
        }
    }

    static func overflow(_ expression: RowExpression) -> QueryError {
        QueryError("overflow: \(expression) exceeds the range of 64-bit integers", at: .synthesized)
    }

    private func nullBytes(_ mask: NullMask?) -> UnsafeMutablePointer<UInt8>? {
        guard let mask else { return nil }
        let bytes = takeBytes()
        forEachActive { row in bytes[row] = mask.isNull(row) ? 1 : 0 }
        return bytes
    }

    /// Every computed row of `output` set to `value`.
    private func fill(_ output: UnsafeMutablePointer<Int64>, with value: Int64) {
        if active == nil { output.update(repeating: value, count: reader.rowCount) } else { forEachActive { output[$0] = value } }
    }

    // MARK: - Floating point

    /// Values as doubles (bit patterns in `words`); exact subexpressions are computed exactly
    /// first, so `(a - b) / c` divides the exact difference.
    private func doubles(_ expression: RowExpression) throws -> Values {
        let rowCount = reader.rowCount
        if case let .exact(scale) = expression.valueType {
            let values = try exact(expression, scale: scale)
            let divisor = pow10(scale)
            forEachActive { row in values.words[row] = Int64(bitPattern: (Double(values.words[row]) / divisor).bitPattern) }
            return Values(words: values.words, nulls: values.nulls, isDouble: true)
        }
        switch expression {
        case let .column(column, _, _):
            // Only double columns reach here; others are exact.
            let (raw, mask) = try reader.values(column, rows: active)
            let output = takeWords()
            if active == nil { output.update(from: raw.baseAddress!, count: rowCount) } else { forEachActive { output[$0] = raw[$0] } }
            return Values(words: output, nulls: nullBytes(mask), isDouble: true)
        case let .constant(value):
            let output = takeWords()
            fill(output, with: Int64(bitPattern: value.bitPattern))
            return Values(words: output, nulls: nil, isDouble: true)
        case let .integer(value):
            // Reached only when asked for a double directly: its exact type is handled above.
            let output = takeWords()
            fill(output, with: Int64(bitPattern: Double(value).bitPattern))
            return Values(words: output, nulls: nil, isDouble: true)
        case let .negate(inner):
            let values = try doubles(inner)
            forEachActive { row in values.words[row] = Int64(bitPattern: (-values.double(row)).bitPattern) }
            return values
        case let .approximate(inner):
            return try doubles(inner)
        case let .zeroIfNull(inner):
            return zeroingNulls(try doubles(inner))
        case let .arithmetic(op, left, right):
            let leftValues = try doubles(left)
            let rightValues = try doubles(right)
            var nulls = mergeNulls(leftValues, rightValues)
            if op == .divide && nulls == nil {
                forEachActive { row in
                    guard rightValues.double(row) == 0 else { return }
                    if nulls == nil { nulls = takeBytes(); nulls!.update(repeating: 0, count: rowCount) }
                    nulls![row] = 1
                }
            }
            forEachActive { row in
                let (a, b) = (leftValues.double(row), rightValues.double(row))
                let result: Double
                switch op {
                case .add: result = a + b
                case .subtract: result = a - b
                case .multiply: result = a * b
                default:
                    if b == 0 { nulls![row] = 1; result = 0 } else { result = a / b }
                }
                leftValues.words[row] = Int64(bitPattern: result.bitPattern)
            }
            freeWords.append(rightValues.words)
            return Values(words: leftValues.words, nulls: nulls, isDouble: true)
        }
    }
}
