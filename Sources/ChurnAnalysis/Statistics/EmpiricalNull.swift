/// The width of the null distribution a family of z statistics actually shows: Efron's empirical
/// null ("Large-scale simultaneous hypothesis testing: the choice of a null hypothesis", JASA
/// 2004), estimated from the centre of the family, where true effects are rare.
///
/// The expected baselines are a model (log-linear in the searched dimensions), and the data
/// answer to dimensions that are not searched (health, renewals) and to flows that do not
/// multiply. With enough rows every cell departs a little from such a model: the departures grow
/// with the rows, their standard errors only with the square root. Under the theoretical null
/// N(0, 1) the whole family then looks significant; its centre shows how wide the null really
/// is, and dividing by that width keeps what stands out from the family, not from the model.
/// The width is never taken below 1: a family narrower than N(0, 1) (the conservative variance
/// of depth-3 cells) keeps its z's.
struct EmpiricalNull: Sendable {
    /// Fewer z's than this give no estimate (width 1): the quartiles of a few cells are noise.
    var minimumCount = 40

    /// σ0 = median |z| / 0.6745 (the median of |N(0, 1)|), at least 1. The fit balances each
    /// margin, so the family is centred at 0; the median of |z| stands until half the family
    /// departs, which a true interaction does not do: it moves its own cell and, through the
    /// margins the fit holds, the others of its row and column, a third of a small cuboid. z's of
    /// exactly 0 (cells of a single account, whose variance is unknown) say nothing about the
    /// width and are left out.
    func width(of zs: [Double]) -> Double {
        let informative = zs.filter { $0 != 0 && $0.isFinite }.map(abs).sorted()
        guard informative.count >= minimumCount else { return 1 }
        return max(1, Self.quantile(informative, 0.5) / 0.6744898)
    }

    /// The q-quantile of sorted values, interpolating linearly between order statistics.
    static func quantile(_ sorted: [Double], _ q: Double) -> Double {
        let position = q * Double(sorted.count - 1)
        let lower = Int(position.rounded(.down))
        let upper = min(lower + 1, sorted.count - 1)
        let fraction = position - Double(lower)
        return sorted[lower] + (sorted[upper] - sorted[lower]) * fraction
    }
}
