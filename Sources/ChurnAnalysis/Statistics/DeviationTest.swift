/// The z statistic of a cell's departure from a baseline, chosen by the measure's kind.
///
/// - Proportions (0/1 numerator per row): binomial variance.
/// - Ratios of sums: delta method, Var(Σx/Σy) ≈ Σ(x − R·y)² / (Σy)², with Σ(x − R·y)² taken
///   from the moments as xx − 2R·xy + R²·yy.
///
/// Either way the variance is taken under the null hypothesis (at the baseline rate), so a cell
/// without events still has a finite, honest z.
package struct DeviationTest: Sendable {
    package let kind: HotspotMeasure.Kind

    package init(kind: HotspotMeasure.Kind) {
        self.kind = kind
    }

    /// The cell against the rest of a population containing it (the whole slice or a parent):
    /// two-proportion z-test with pooled variance, or the delta-method difference of the two
    /// ratios. 0 when the cell is the whole population.
    package func zAgainstRest(cell: Moments, population: Moments) -> Double {
        let rest = population - cell
        guard cell.y > 0, rest.y > 1e-9 * population.y, rest.rows > 0.5, population.y > 0 else { return 0 }
        let pooled = population.x / population.y
        let difference = cell.x / cell.y - rest.x / rest.y
        let variance: Double
        switch kind {
        case .proportion:
            variance = pooled * (1 - pooled) * (1 / cell.y + 1 / rest.y)
        case .ratioOfSums:
            variance = cell.squaredResiduals(around: pooled) / (cell.y * cell.y)
                + rest.squaredResiduals(around: pooled) / (rest.y * rest.y)
        }
        return Self.z(difference, variance)
    }

    /// The cell against a fixed expected rate (the expectation is treated as known).
    package func zAgainstRate(cell: Moments, expected rate: Double) -> Double {
        guard cell.y > 0 else { return 0 }
        let difference = cell.x / cell.y - rate
        let variance: Double
        switch kind {
        case .proportion:
            variance = rate * (1 - rate) / cell.y
        case .ratioOfSums:
            variance = cell.squaredResiduals(around: rate) / (cell.y * cell.y)
        }
        return Self.z(difference, variance)
    }

    private static func z(_ difference: Double, _ variance: Double) -> Double {
        guard variance > 0, variance.isFinite, difference.isFinite else { return 0 }
        return difference / variance.squareRoot()
    }
}
