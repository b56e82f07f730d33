/// Σx², Σy² and Σxy of two row expressions in floating point, a NULL counting as 0 (as each
/// sum of products would skip it): each expression is evaluated once per batch and the three
/// sums taken in one loop.
final class SecondMomentsAggregate: GroupedAggregate {
    let x: RowExpression
    let y: RowExpression
    /// Per slot: Σx², Σy², Σxy, side by side.
    fileprivate var sums: [Double] = []

    init(x: RowExpression, y: RowExpression) {
        self.x = x
        self.y = y
    }

    func appendSlots(_ count: Int) { sums.append(contentsOf: repeatElement(0, count: 3 * count)) }

    func update(_ batch: ScanBatch) throws {
        let xs = try batch.expressions.doubles(x, rows: batch.selection)
        defer { batch.expressions.release(xs) }
        let ys = try batch.expressions.doubles(y, rows: batch.selection)
        defer { batch.expressions.release(ys) }
        let slots = batch.slots
        sums.withUnsafeMutableBufferPointer { sums in
            if xs.nulls == nil && ys.nulls == nil {
                batch.forEachRow { row in
                    let (a, b) = (xs.double(row), ys.double(row))
                    let base = 3 * Int(slots[row])
                    sums[base] += a * a
                    sums[base + 1] += b * b
                    sums[base + 2] += a * b
                }
            } else {
                batch.forEachRow { row in
                    let a = xs.isNull(row) ? 0 : xs.double(row), b = ys.isNull(row) ? 0 : ys.double(row)
                    let base = 3 * Int(slots[row])
                    sums[base] += a * a
                    sums[base + 1] += b * b
                    sums[base + 2] += a * b
                }
            }
        }
    }

    func combine(_ other: any GroupedAggregate, slot source: Int, into target: Int) {
        let from = unsafeDowncast(other, to: SecondMomentsAggregate.self)
        for part in 0..<3 { sums[3 * target + part] += from.sums[3 * source + part] }
    }

    func absorb(_ other: any GroupedAggregate, slotCount: Int) {
        let from = unsafeDowncast(other, to: SecondMomentsAggregate.self)
        sums.withUnsafeMutableBufferPointer { sums in
            from.sums.withUnsafeBufferPointer { theirs in for index in 0..<(3 * slotCount) { sums[index] += theirs[index] } }
        }
    }

    func makeEmpty() -> any GroupedAggregate { SecondMomentsAggregate(x: x, y: y) }

    /// Σx² (the other two through `moments(slot:)`).
    func value(slot: Int, rows: Int64) -> ResultValue { .double(sums[3 * slot]) }

    func moments(slot: Int) -> (xx: Double, yy: Double, xy: Double) {
        (sums[3 * slot], sums[3 * slot + 1], sums[3 * slot + 2])
    }

    var bytesPerSlot: Int { 24 }
}

extension SecondMomentsAggregate {
    /// Sets a slot's three sums as a remote engine computed them.
    func assign(slot: Int, xx: Double, yy: Double, xy: Double) {
        sums[3 * slot] = xx
        sums[3 * slot + 1] = yy
        sums[3 * slot + 2] = xy
    }
}
