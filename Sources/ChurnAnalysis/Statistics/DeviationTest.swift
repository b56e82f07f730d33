/// The z statistic of a cell's departure from a baseline, chosen by the measure's kind, with
/// variances that are robust to accounts: an account's months are not independent, so each
/// variance is taken over the cell's clusters (accounts, see `Moments`), with the usual
/// small-sample factor G/(G − 1) for G clusters. A cell of a single account has no such
/// variance: its z is 0, however far its rate lies from the baseline.
///
/// - Proportions (0/1 numerator per row): binomial variance under the baseline rate, times the
///   cell's design effect (Rao and Scott's adjustment for clustered binary data): the
///   cluster-robust variance of the cell's own rate over the binomial variance of it,
///   Σ(X − R·Y)² · G/(G − 1) against n·R(1 − R) · n/(n − 1), never below 1. Rows that are their
///   own clusters have a design effect of exactly 1: the two-proportion test.
/// - Ratios of sums: cluster-robust delta method, Var(Σx − r·Σy) ≈ G/(G − 1) · Σ(X − r·Y)² over
///   the accounts, taken from the moments as xx − 2r·xy + r²·yy, under the baseline rate r, and
///   never below the same sum over the rows: with a few accounts per cell the robust sum is the
///   noisier of the two, and an account's one churn makes its months' residuals cancel (the
///   churned month up, the others down), so alone it would read a cell's variance too small as
///   often as too large.
///
/// Either way the variance is taken under the null hypothesis (at the baseline rate), so a cell
/// without events still has a finite, honest z.
///
/// Money is heavy-tailed: a few accounts hold much of the MRR, and the events that move it
/// (a churn, a downsell) are rare, so a cell's own Σ(X − R·Y)² mostly misses what a large
/// account could do and understates the variance. With a `pooledSpread` c (the slice's
/// Σ(x − R·y)² / Σy² over its rows) a ratio's residual variance is at least c·Σy² over the
/// cell's rows: the spread of the whole slice per unit of squared denominator, applied to the
/// cell's own denominators, which the cell knows exactly (for revenue churn, c ≈ R(1 − R) and
/// c·Σy² is the binomial variance in MRR). The floor is per row, not per account: an account
/// churns once, so its chance of an event grows with its months (Σy²), not with their square.
package struct DeviationTest: Sendable {
    package let kind: HotspotMeasure.Kind
    package let pooledSpread: Double

    package init(kind: HotspotMeasure.Kind, pooledSpread: Double = 0) {
        self.kind = kind
        self.pooledSpread = pooledSpread.isFinite ? max(0, pooledSpread) : 0
    }

    /// The pooled spread of a slice whose rows are its clusters: Σ(x − R·y)² / Σy² at its rate
    /// R; 0 without a denominator.
    package static func pooledSpread(of whole: Moments) -> Double {
        guard let rate = whole.ratio, whole.yy > 0 else { return 0 }
        return whole.squaredResiduals(around: rate) / whole.yy
    }

    /// The standard error of the cell's rate Σx/Σy under the rate `rate`: √Var(Σx − r·Σy) / Σy;
    /// infinite for a cell of fewer than two accounts.
    package func standardError(of cell: Moments, around rate: Double) -> Double {
        guard cell.y > 0 else { return .infinity }
        return countVariance(of: cell, rate: rate).squareRoot() / cell.y
    }

    /// The cell against the rest of a population containing it (the whole slice or a parent):
    /// two-proportion z-test with pooled variance, or the delta-method difference of the two
    /// ratios. 0 when the cell is the whole population.
    package func zAgainstRest(cell: Moments, population: Moments) -> Double {
        let rest = population - cell
        guard cell.y > 0, rest.y > 1e-9 * population.y, rest.rows > 0.5, population.y > 0 else { return 0 }
        let pooled = population.x / population.y
        let difference = cell.x / cell.y - rest.x / rest.y
        let variance = countVariance(of: cell, rate: pooled) / (cell.y * cell.y)
            + countVariance(of: rest, rate: pooled) / (rest.y * rest.y)
        return Self.z(difference, variance)
    }

    /// The cell against a fixed expected rate (the expectation is treated as known).
    package func zAgainstRate(cell: Moments, expected rate: Double) -> Double {
        guard cell.y > 0 else { return 0 }
        return Self.z(cell.x / cell.y - rate, countVariance(of: cell, rate: rate) / (cell.y * cell.y))
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
        var variance = share < 1 ? (1 - share) * (1 - share) * countVariance(of: cell, rate: cellRate) : 0
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
    ///
    /// That factor holds where every cell's variance follows its mean, as a 0/1 rate's does.
    /// Money's does not: the rest of a margin can hold a few large accounts whose churn or
    /// upsell moves the expectation of every cell in it. So a ratio of sums' variance is never
    /// taken below the fit's linearization in its margins, each part with its own robust
    /// variance. `projections[S]` is the cell's cell in the cuboid of the positions in the bit
    /// set S (all of them: the cell; none: the whole slice). To first order the fit to every
    /// margin of one dimension fewer moves as δμ/μ = Σ_S (−1)^(k−1−|S|)·δx(S)/x(S) over the
    /// proper subsets S (exact for two dimensions: μ = x(a)·x(b)/x(∅)); written over the
    /// disjoint parts of the slice (the rows that agree with the cell on exactly the positions
    /// T), x − μ is a sum of independent parts, and its variance the sum of their variances
    /// times their squared coefficients. Where variances follow the mean this is the adjusted
    /// residual again.
    package func zAgainstFit(cell: Moments, expected: Double, projections: [Moments]) -> Double {
        let full = projections.count - 1
        guard cell.y > 0, expected > 0, projections.count >= 4, projections.count & full == 0 else { return 0 }
        let depth = full.nonzeroBitCount
        var factor = 1.0, factors = 0, largest = 0.0
        for position in 0..<depth {
            let margin = projections[full & ~(1 << position)].x
            guard margin > 0 else { continue }
            let one = max(0, 1 - expected / margin)
            factor *= one
            factors += 1
            largest = max(largest, one)
        }
        if factors != 2 { factor = factors == 0 ? 1 : largest }
        let cellVariance = countVariance(of: cell, rate: expected / cell.y)
        guard kind == .ratioOfSums else { return Self.z(cell.x - expected, cellVariance * max(factor, 0.01)) }
        let linearized = withUnsafeTemporaryAllocation(of: Double.self, capacity: full) { weights -> Double in
            // The weight of each proper subset's total in μ.
            for subset in 0..<full {
                let total = projections[subset].x
                let sign: Double = (depth - 1 - subset.nonzeroBitCount) % 2 == 0 ? 1 : -1
                weights[subset] = total > 0 ? sign * expected / total : 0
            }
            var sum = 0.0
            for part in 0...full {
                var coefficient = part == full ? 1.0 : 0.0
                for subset in 0..<full where subset & part == subset { coefficient -= weights[subset] }
                guard coefficient != 0 else { continue }
                guard part != full else {
                    sum += coefficient * coefficient * cellVariance
                    continue
                }
                // The rows that agree with the cell on exactly `part`: inclusion–exclusion over its supersets.
                var moments = Moments.zero
                for superset in part...full where superset & part == part {
                    if (superset ^ part).nonzeroBitCount % 2 == 0 { moments += projections[superset] } else { moments = moments - projections[superset] }
                }
                guard moments.rows > 0.5, moments.y > 1e-9 * max(1, projections[0].y), let rate = moments.ratio, rate >= 0 else { continue }
                let variance = countVariance(of: moments, rate: rate)
                if variance.isFinite { sum += coefficient * coefficient * variance }
            }
            return sum
        }
        return Self.z(cell.x - expected, max(cellVariance * max(factor, 0.01), linearized))
    }

    /// Var(Σx − r·Σy) of the cell under the rate `rate`, over its accounts; infinite with fewer
    /// than two.
    private func countVariance(of moments: Moments, rate: Double) -> Double {
        let clusters = moments.clusters
        guard clusters >= 2 else { return .infinity }
        let smallSample = clusters / (clusters - 1)
        switch kind {
        case .proportion:
            return moments.y * rate * max(0, 1 - rate) * designEffect(of: moments, smallSample: smallSample)
        case .ratioOfSums:
            return max(smallSample * moments.squaredResiduals(around: rate), moments.squaredRowResiduals(around: rate),
                       pooledSpread * moments.rowYY)
        }
    }

    /// The cluster-robust variance of a proportion's count at its own rate over the binomial
    /// one, both with their small-sample factors; at least 1, and 1 where the cell's rate is 0
    /// or 1 (no spread to compare).
    private func designEffect(of moments: Moments, smallSample: Double) -> Double {
        let count = moments.y
        guard count > 1, case let own = moments.x / count, own > 0, own < 1 else { return 1 }
        let binomial = count * own * (1 - own) * count / (count - 1)
        return max(1, smallSample * moments.squaredResiduals(around: own) / binomial)
    }

    /// The two-sided p-value of a cell's z: Student's t with G* − 1 degrees of freedom, where G*
    /// is the cell's effective number of clusters, (ΣY)² / ΣY² over its accounts' denominators
    /// (Kish's effective sample size, at most the G accounts themselves). A variance estimated
    /// from G accounts has about G − 1 degrees of freedom when they weigh alike; when a few
    /// large accounts carry most of the denominator (MRR is heavy-tailed) it rests on those few,
    /// and the t reference says so. For a 0/1 rate each account's residual variance grows with
    /// its months, and G* is then the Satterthwaite degrees of freedom of the robust variance.
    package static func pValue(_ z: Double, cell: Moments) -> Double {
        StudentT.twoSidedPValue(z, degreesOfFreedom: effectiveClusters(of: cell) - 1)
    }

    /// (ΣY)² / ΣY² over the cell's clusters, at most their number; the number itself without
    /// second moments.
    package static func effectiveClusters(of cell: Moments) -> Double {
        guard cell.yy > 0, cell.y.isFinite else { return cell.clusters }
        return min(cell.clusters, cell.y * cell.y / cell.yy)
    }

    private static func z(_ difference: Double, _ variance: Double) -> Double {
        guard variance > 0, variance.isFinite, difference.isFinite else { return 0 }
        return difference / variance.squareRoot()
    }
}
