/// MIN and MAX of a numeric expression: exact for integers and money, else floating point.
final class ExtremumAggregate: GroupedAggregate {
    let input: RowExpression
    let isMinimum: Bool
    /// The exact scale, or nil for floating point.
    let scale: Int?
    /// Current extreme per slot: integer units, or a double's bit pattern.
    private var extremes: [Int64] = []
    private var nullRows: [Int64] = []

    init(input: RowExpression, isMinimum: Bool) {
        self.input = input
        self.isMinimum = isMinimum
        if case let .exact(scale) = input.valueType { self.scale = scale } else { scale = nil }
    }

    private var emptyValue: Int64 {
        if scale != nil { return isMinimum ? .max : .min }
        return Int64(bitPattern: (isMinimum ? Double.infinity : -Double.infinity).bitPattern)
    }

    func appendSlots(_ count: Int) {
        extremes.append(contentsOf: repeatElement(emptyValue, count: count))
        nullRows.append(contentsOf: repeatElement(0, count: count))
    }

    func update(_ batch: ScanBatch) throws {
        let values = try batch.expressions.evaluate(input, rows: batch.selection)
        defer { batch.expressions.release(values) }
        let slots = batch.slots, isMinimum = self.isMinimum
        extremes.withUnsafeMutableBufferPointer { extremes in
            nullRows.withUnsafeMutableBufferPointer { nullRows in
                batch.forEachRow { row in
                    let slot = Int(slots[row])
                    if values.isNull(row) { nullRows[slot] += 1; return }
                    if values.isDouble {
                        let (value, current) = (values.double(row), Double(bitPattern: UInt64(bitPattern: extremes[slot])))
                        if isMinimum ? value < current : value > current { extremes[slot] = values.words[row] }
                    } else {
                        let value = values.words[row]
                        if isMinimum ? value < extremes[slot] : value > extremes[slot] { extremes[slot] = value }
                    }
                }
            }
        }
    }

    func combine(_ other: any GroupedAggregate, slot source: Int, into target: Int) {
        let from = unsafeDowncast(other, to: ExtremumAggregate.self)
        nullRows[target] += from.nullRows[source]
        let (mine, theirs) = (extremes[target], from.extremes[source])
        if scale != nil {
            extremes[target] = isMinimum ? min(mine, theirs) : max(mine, theirs)
        } else {
            let (a, b) = (Double(bitPattern: UInt64(bitPattern: mine)), Double(bitPattern: UInt64(bitPattern: theirs)))
            if isMinimum ? b < a : b > a { extremes[target] = theirs }
        }
    }

    func makeEmpty() -> any GroupedAggregate { ExtremumAggregate(input: input, isMinimum: isMinimum) }

    func value(slot: Int, rows: Int64) -> ResultValue {
        if rows - nullRows[slot] <= 0 { return .null }
        guard let scale else { return .double(Double(bitPattern: UInt64(bitPattern: extremes[slot]))) }
        return .exact(units: extremes[slot], scale: scale)
    }

    var bytesPerSlot: Int { 16 }
}
