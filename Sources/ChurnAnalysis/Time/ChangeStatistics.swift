/// Tests of a ratio measure's change between two periods, on the moments of each side.
///
/// A rate's variance is taken at a given rate (the null hypothesis' common rate): binomial
/// r(1 − r)/n for proportions, the delta method Σ(x − r·y)² / (Σy)² for ratios of sums. A cell
/// without events so keeps a finite, honest variance.
enum ChangeStatistics {
    static func variance(of moments: Moments, at rate: Double, kind: HotspotMeasure.Kind) -> Double {
        guard moments.y > 0 else { return 0 }
        switch kind {
        case .proportion: return rate * (1 - rate) / moments.y
        case .ratioOfSums: return moments.squaredResiduals(around: rate) / (moments.y * moments.y)
        }
    }

    /// z of after − before for one group: two-proportion test with the pooled rate, or the
    /// delta-method difference of two ratios; nil when a side has no denominator.
    static func zOfChange(before: Moments, after: Moments, kind: HotspotMeasure.Kind) -> Double? {
        guard let rateBefore = before.ratio, let rateAfter = after.ratio, let pooled = (before + after).ratio else { return nil }
        let variance: Double
        switch kind {
        case .proportion:
            variance = Self.variance(of: before, at: pooled, kind: kind) + Self.variance(of: after, at: pooled, kind: kind)
        case .ratioOfSums:
            variance = Self.variance(of: before, at: rateBefore, kind: kind) + Self.variance(of: after, at: rateAfter, kind: kind)
        }
        return z(rateAfter - rateBefore, variance)
    }

    /// z of how much more a cell's rate moved than the rest of its population's: the difference
    /// in differences, each of the four rates' variance at its period's population rate.
    static func zOfExcessChange(cellBefore: Moments, cellAfter: Moments, populationBefore: Moments, populationAfter: Moments,
                                kind: HotspotMeasure.Kind) -> Double? {
        let restBefore = populationBefore - cellBefore, restAfter = populationAfter - cellAfter
        guard let a = cellBefore.ratio, let b = cellAfter.ratio, let c = restBefore.ratio, let d = restAfter.ratio,
              let rateBefore = populationBefore.ratio, let rateAfter = populationAfter.ratio,
              restBefore.y > 1e-9 * populationBefore.y, restAfter.y > 1e-9 * populationAfter.y else { return nil }
        let variance = variance(of: cellBefore, at: rateBefore, kind: kind) + variance(of: cellAfter, at: rateAfter, kind: kind)
            + variance(of: restBefore, at: rateBefore, kind: kind) + variance(of: restAfter, at: rateAfter, kind: kind)
        return z((b - a) - (d - c), variance)
    }

    static func z(_ difference: Double, _ variance: Double) -> Double {
        guard variance > 0, variance.isFinite else { return difference == 0 ? 0 : (difference > 0 ? .infinity : -.infinity) }
        return difference / variance.squareRoot()
    }
}
