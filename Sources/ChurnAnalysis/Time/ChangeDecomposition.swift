/// How one cell of a partition makes up the change of a ratio measure between two periods.
///
/// With the cell's share w = y_c / Y of the slice's denominator and its rate r = x_c / y_c in
/// each period, and the slice's rates R₁, R₂:
///
///     rate effect = (r₂ − r₁)·(w₁ + w₂)/2,   mix effect = (w₂ − w₁)·((r₁ + r₂)/2 − (R₁ + R₂)/2).
///
/// Their sum is w₂r₂ − w₁r₁ (the mean rate drops out since the shares of a partition each add
/// up to 1), so over any partition of the slice the contributions add up to R₂ − R₁. A cell
/// present in one period only takes the other period's rate as its own: no rate effect, all mix.
package struct ChangeDecomposition: Sendable, Equatable {
    package var rateEffect: Double
    package var mixEffect: Double

    package var contribution: Double { rateEffect + mixEffect }

    package init(cellBefore: Moments, cellAfter: Moments, wholeBefore: Moments, wholeAfter: Moments) {
        let meanRate = ((wholeBefore.ratio ?? 0) + (wholeAfter.ratio ?? 0)) / 2
        let shareBefore = wholeBefore.y != 0 ? cellBefore.y / wholeBefore.y : 0
        let shareAfter = wholeAfter.y != 0 ? cellAfter.y / wholeAfter.y : 0
        let r1 = cellBefore.ratio ?? cellAfter.ratio ?? meanRate
        let r2 = cellAfter.ratio ?? cellBefore.ratio ?? meanRate
        rateEffect = (r2 - r1) * (shareBefore + shareAfter) / 2
        mixEffect = (shareAfter - shareBefore) * ((r1 + r2) / 2 - meanRate)
    }
}
