/// The knobs of a hot-spot search; the defaults are those of `HOTSPOTS` without clauses.
package struct HotspotOptions: Sendable, Equatable {
    /// The most conditions in one cell.
    package var depth: Int
    /// Cells whose denominator Σy is below this are not judged (for proportions Σy is the row count).
    package var minimumSupport: Double
    package var baseline: HotspotBaseline
    package var direction: HotspotDirection
    package var ranking: HotspotRanking
    /// The most findings returned.
    package var limit: Int
    /// The Benjamini–Hochberg level q: findings have q-value ≤ this.
    package var falseDiscoveryRate: Double
    /// Under `VERSUS expected`, fold a qualified cell under a relative that explains it (listed as
    /// its `also`) rather than report it on its own.
    package var foldsRelatives: Bool

    package init(
        depth: Int = 3, minimumSupport: Double = 500, baseline: HotspotBaseline = .expected,
        direction: HotspotDirection = .hot, ranking: HotspotRanking = .impact, limit: Int = 20,
        falseDiscoveryRate: Double = 0.05, foldsRelatives: Bool = true
    ) {
        self.depth = depth
        self.minimumSupport = minimumSupport
        self.baseline = baseline
        self.direction = direction
        self.ranking = ranking
        self.limit = limit
        self.falseDiscoveryRate = falseDiscoveryRate
        self.foldsRelatives = foldsRelatives
    }
}

/// What a cell is compared against.
package enum HotspotBaseline: String, Sendable, Equatable, CaseIterable {
    /// What the cell's lower-order effects predict: a log-linear fit to all margins one
    /// condition smaller (global at depth 1).
    case expected
    /// The parent that explains the cell best (smallest |z| of the cell against the rest of the
    /// parent): one condition fewer, or one condition rolled up a hierarchy level
    /// (`country = US` -> `region = amer`). At depth 1 the whole slice or the level above.
    case parent
    /// The whole slice.
    case global
}

/// Which deviations are reported.
package enum HotspotDirection: String, Sendable, Equatable, CaseIterable {
    /// Worse than the baseline: higher for churn-like measures, lower for retention-like ones.
    case hot
    /// Better than the baseline.
    case cold
    case both
}

/// The ranking key of the findings.
package enum HotspotRanking: String, Sendable, Equatable, CaseIterable {
    /// |impact|: the excess (or shortfall) of numerator against the baseline.
    case impact
    /// |lift|.
    case lift
    /// Denominator Σy, largest first.
    case support
}
