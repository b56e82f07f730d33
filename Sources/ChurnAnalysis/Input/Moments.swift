/// Additive moments of one cell: row count, Σx and Σy, where x is a row's numerator and y its
/// denominator, and the second moments of the cell's clusters: their number G and
/// Σ X², Σ Y², Σ X·Y over the clusters, where X and Y are one cluster's sums within the cell.
///
/// A cluster is one account's rows: the months of one account are not independent, so the
/// variances of a search are taken over accounts (cluster-robust), not over rows. Inputs without
/// accounts treat every row as its own cluster (`add(x:y:)`).
///
/// Any coarser cell is the sum of its finer cells, so every cuboid of a hot-spot search is
/// derived from the finest grouping by addition alone; for the cluster moments that holds when
/// no account has rows in two of the finer cells added (`CuboidLattice` sees to it).
package struct Moments: Sendable, Equatable {
    package var rows: Double
    package var x: Double
    package var y: Double
    /// Clusters (accounts) with rows in the cell.
    package var clusters: Double
    package var xx: Double
    package var yy: Double
    package var xy: Double
    /// Σx², Σy², Σx·y over the rows: the variance as if the rows were independent, which the
    /// account-robust one is never taken below, and what money's variance floor scales with
    /// (see `DeviationTest`).
    package var rowXX: Double
    package var rowYY: Double
    package var rowXY: Double

    /// `clusters` nil: every row is its own cluster (`clusters = rows`, the second moments are
    /// per row). A row moment nil: the cluster moment.
    package init(rows: Double = 0, x: Double = 0, y: Double = 0, clusters: Double? = nil, xx: Double = 0, yy: Double = 0,
                 xy: Double = 0, rowXX: Double? = nil, rowYY: Double? = nil, rowXY: Double? = nil) {
        self.rowXX = rowXX ?? xx
        self.rowXY = rowXY ?? xy
        self.rows = rows
        self.x = x
        self.y = y
        self.clusters = clusters ?? rows
        self.xx = xx
        self.yy = yy
        self.xy = xy
        self.rowYY = rowYY ?? yy
    }

    package static let zero = Moments()

    /// Adds one row that is a cluster of its own, with numerator `x` and denominator `y`.
    package mutating func add(x rowX: Double, y rowY: Double) {
        add(cluster: 1, x: rowX, y: rowY)
    }

    /// Adds the `rows` rows of one cluster (an account's months in the cell), whose numerators
    /// sum to `x` and denominators to `y`, spread evenly over its rows (each row x/rows, y/rows).
    package mutating func add(cluster rowCount: Double, x clusterX: Double, y clusterY: Double) {
        if rowCount > 0 {
            rowXX += clusterX * clusterX / rowCount
            rowYY += clusterY * clusterY / rowCount
            rowXY += clusterX * clusterY / rowCount
        }
        rows += rowCount
        x += clusterX
        y += clusterY
        clusters += 1
        xx += clusterX * clusterX
        yy += clusterY * clusterY
        xy += clusterX * clusterY
    }

    /// The measure of the cell, Σx / Σy; nil when the denominator is 0.
    package var ratio: Double? { y != 0 ? x / y : nil }

    /// Σ(X − r·Y)² over the clusters, from the moments: the spread of the accounts around the rate `r`.
    func squaredResiduals(around rate: Double) -> Double {
        max(0, xx - 2 * rate * xy + rate * rate * yy)
    }

    /// Σ(x − r·y)² over the rows.
    func squaredRowResiduals(around rate: Double) -> Double {
        max(0, rowXX - 2 * rate * rowXY + rate * rate * rowYY)
    }

    package static func + (lhs: Moments, rhs: Moments) -> Moments {
        Moments(
            rows: lhs.rows + rhs.rows, x: lhs.x + rhs.x, y: lhs.y + rhs.y, clusters: lhs.clusters + rhs.clusters,
            xx: lhs.xx + rhs.xx, yy: lhs.yy + rhs.yy, xy: lhs.xy + rhs.xy,
            rowXX: lhs.rowXX + rhs.rowXX, rowYY: lhs.rowYY + rhs.rowYY, rowXY: lhs.rowXY + rhs.rowXY)
    }

    /// What is left of `lhs` without `rhs`, a part of it (the rest of a parent).
    package static func - (lhs: Moments, rhs: Moments) -> Moments {
        Moments(
            rows: lhs.rows - rhs.rows, x: lhs.x - rhs.x, y: lhs.y - rhs.y, clusters: max(0, lhs.clusters - rhs.clusters),
            xx: lhs.xx - rhs.xx, yy: lhs.yy - rhs.yy, xy: lhs.xy - rhs.xy,
            rowXX: lhs.rowXX - rhs.rowXX, rowYY: lhs.rowYY - rhs.rowYY, rowXY: lhs.rowXY - rhs.rowXY)
    }

    package static func += (lhs: inout Moments, rhs: Moments) {
        lhs.rows += rhs.rows
        lhs.x += rhs.x
        lhs.y += rhs.y
        lhs.clusters += rhs.clusters
        lhs.xx += rhs.xx
        lhs.yy += rhs.yy
        lhs.xy += rhs.xy
        lhs.rowXX += rhs.rowXX
        lhs.rowYY += rhs.rowYY
        lhs.rowXY += rhs.rowXY
    }
}
