/// The z statistic of a cell's departure from a baseline, chosen by the measure's kind.
///
/// - Proportions (0/1 numerator per row): binomial variance.
/// - Ratios of sums: delta method, Var(Σx/Σy) ≈ Σ(x − R·y)² / (Σy)², with Σ(x − R·y)² taken
///   from the moments as xx − 2R·xy + R²·yy.
///
/// Either way the variance is taken under the null hypothesis (at the baseline rate), so a cell
/// without events still has a finite, honest z.
///
/// Money is heavy-tailed: a few accounts hold much of the MRR, and the events that move it
/// (a churn, a downsell) are rare, so a cell's own Σ(x − R·y)² mostly misses what a large
/// account could do and understates the variance. With a `pooledSpread` c (the slice's
/// Σ(x − R·y)² / Σy²) a ratio's residual variance is at least c·Σy² over the cell's rows: the
/// spread of the whole slice per unit of squared denominator, applied to the cell's own
/// denominators, which the cell knows exactly (for revenue churn, c ≈ R(1 − R) and c·Σy² is the
/// binomial variance in MRR).
package struct DeviationTest: Sendable {
    package let kind: HotspotMeasure.Kind
    package let pooledSpread: Double

    package init(kind: HotspotMeasure.Kind, pooledSpread: Double = 0) {
        self.kind = kind
        self.pooledSpread = pooledSpread.isFinite ? max(0, pooledSpread) : 0
    }

    /// The pooled spread of a slice: Σ(x − R·y)² / Σy² at its rate R; 0 without a denominator.
    package static func pooledSpread(of whole: Moments) -> Double {
        guard let rate = whole.ratio, whole.yy > 0 else { return 0 }
        return whole.squaredResiduals(around: rate) / whole.yy
    }

    /// Σ(x − r·y)² of the rows, at least the pooled spread times Σy².
    private func residualSpread(of moments: Moments, around rate: Double) -> Double {
        max(moments.squaredResiduals(around: rate), pooledSpread * moments.yy)
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
            variance = residualSpread(of: cell, around: pooled) / (cell.y * cell.y)
                + residualSpread(of: rest, around: pooled) / (rest.y * rest.y)
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
            variance = residualSpread(of: cell, around: rate) / (cell.y * cell.y)
        }
        return Self.z(difference, variance)
    }

    /// The cell against an expected numerator that is a share of a scope containing it (the
    /// whole slice, or the cell's parent member), whose observed numerator the expectations add
    /// up to: with s = expected / Σx(scope), x − s·Σx(scope) = (1 − s)·x(cell) − s·x(rest), so
    /// Var = (1 − s)²·V(cell) + s²·V(rest), each V under its own expected rate. With one
    /// dimension this is exactly the two-proportion test against the rest.
    package func zAgainstShare(cell: Moments, expected: Double, scope: Moments) -> Double {
        let rest = scope - cell
        guard cell.y > 0, expected > 0, scope.x > 0 else { return 0 }
        let share = min(1, expected / scope.x)
        let cellRate = expected / cell.y
        let restExpected = scope.x - expected
        var variance = (1 - share) * (1 - share) * countVariance(of: cell, rate: cellRate)
        if rest.y > 1e-9 * scope.y, rest.rows > 0.5 {
            variance += share * share * countVariance(of: rest, rate: max(0, restExpected) / rest.y)
        }
        return Self.z(cell.x - expected, variance)
    }

    /// The cell against the numerator a log-linear fit to its margins expects: the adjusted
    /// residual. A fit that matches a margin holds the margin's total, so the cell's departure is
    /// shared with the other cells of that margin. With two margins (a two-way table under
    /// independence) Var(x − μ) = V(cell) · (1 − μ/Σx(first)) · (1 − μ/Σx(second)) exactly; with
    /// more, the product can understate the variance, so only the largest single factor is
    /// taken, which errs on the conservative side. A cell that is most of its margins (smb
    /// display ads, most display ads being smb) is thus tested with the variance its departure
    /// really has, not the much larger variance of the cell alone. The factor is kept above 1% so
    /// a cell that is its whole margin is not inflated.
    package func zAgainstFit(cell: Moments, expected: Double, marginNumerators: [Double]) -> Double {
        guard cell.y > 0, expected > 0 else { return 0 }
        let factors = marginNumerators.filter { $0 > 0 }.map { max(0, 1 - expected / $0) }
        let factor = factors.count == 2 ? factors[0] * factors[1] : factors.max() ?? 1
        let variance = countVariance(of: cell, rate: expected / cell.y) * max(factor, 0.01)
        return Self.z(cell.x - expected, variance)
    }

    /// Var(Σx) under the rate `rate`: binomial, or Σ(x − r·y)² from the moments.
    private func countVariance(of moments: Moments, rate: Double) -> Double {
        switch kind {
        case .proportion: moments.y * rate * max(0, 1 - rate)
        case .ratioOfSums: residualSpread(of: moments, around: rate)
        }
    }

    private static func z(_ difference: Double, _ variance: Double) -> Double {
        guard variance > 0, variance.isFinite, difference.isFinite else { return 0 }
        return difference / variance.squareRoot()
    }
}
