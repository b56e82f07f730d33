/// Additive moments of one cell: row count and the sums Σx, Σy, Σx², Σy², Σxy, where x is a
/// row's numerator and y its denominator.
///
/// Any coarser cell is the sum of its finer cells, so every cuboid of a hot-spot search is
/// derived from the finest grouping by addition alone. The second moments carry what the
/// significance tests need (delta-method variance of a ratio of sums).
package struct Moments: Sendable, Equatable {
    package var rows: Double
    package var x: Double
    package var y: Double
    package var xx: Double
    package var yy: Double
    package var xy: Double

    package init(rows: Double = 0, x: Double = 0, y: Double = 0, xx: Double = 0, yy: Double = 0, xy: Double = 0) {
        self.rows = rows
        self.x = x
        self.y = y
        self.xx = xx
        self.yy = yy
        self.xy = xy
    }

    package static let zero = Moments()

    /// Adds one row with numerator `x` and denominator `y`.
    package mutating func add(x rowX: Double, y rowY: Double) {
        rows += 1
        x += rowX
        y += rowY
        xx += rowX * rowX
        yy += rowY * rowY
        xy += rowX * rowY
    }

    /// The measure of the cell, Σx / Σy; nil when the denominator is 0.
    package var ratio: Double? { y != 0 ? x / y : nil }

    /// Σ(x − r·y)² from the moments: the spread of the rows around the rate `r`.
    func squaredResiduals(around rate: Double) -> Double {
        max(0, xx - 2 * rate * xy + rate * rate * yy)
    }

    package static func + (lhs: Moments, rhs: Moments) -> Moments {
        Moments(
            rows: lhs.rows + rhs.rows, x: lhs.x + rhs.x, y: lhs.y + rhs.y,
            xx: lhs.xx + rhs.xx, yy: lhs.yy + rhs.yy, xy: lhs.xy + rhs.xy)
    }

    package static func - (lhs: Moments, rhs: Moments) -> Moments {
        Moments(
            rows: lhs.rows - rhs.rows, x: lhs.x - rhs.x, y: lhs.y - rhs.y,
            xx: lhs.xx - rhs.xx, yy: lhs.yy - rhs.yy, xy: lhs.xy - rhs.xy)
    }

    package static func += (lhs: inout Moments, rhs: Moments) {
        lhs.rows += rhs.rows
        lhs.x += rhs.x
        lhs.y += rhs.y
        lhs.xx += rhs.xx
        lhs.yy += rhs.yy
        lhs.xy += rhs.xy
    }
}
