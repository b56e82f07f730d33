/// One reported hot-spot (or cold-spot): a cell, its measure against its baseline, and the
/// evidence.
package struct HotspotFinding: Sendable, Equatable {
    /// `dimension = value` conditions in the input's dimension order.
    package var conditions: [HotspotCondition]
    /// The conditions as text: `country = US, channel = reseller`.
    package var conditionText: String
    /// Rows behind the cell.
    package var rows: Double
    /// The denominator Σy (equal to `rows` for proportions).
    package var support: Double
    /// The numerator Σx.
    package var numerator: Double
    /// Σx / Σy.
    package var value: Double
    package var baseline: Double
    package var baselineKind: HotspotBaseline
    /// "average", "amer average", "expected from channel × country".
    package var baselineLabel: String
    /// For a parent baseline, the parent's conditions; empty for the whole slice.
    package var baselineConditions: [HotspotCondition]
    /// value / baseline − 1; nil when the baseline is 0.
    package var lift: Double?
    /// (value − baseline) × support: the excess numerator, e.g. churned accounts above baseline.
    package var impact: Double
    package var direction: HotspotFindingDirection
    package var z: Double
    package var pValue: Double
    /// Benjamini–Hochberg adjusted p-value over every cell tested.
    package var qValue: Double
    /// Relatives this cell explains, folded under it: more general or more specific cells whose
    /// deviation is this one's (`channel = online, region = apac` under `campaign = search,
    /// region = apac`), best ranked first. Empty outside `VERSUS expected`.
    package var relatives: [[HotspotCondition]] = []
    /// The relatives as the reading lists them: `country = JP, AU, KR`; nil without relatives.
    package var alsoText: String?
    /// One line for the analyst: `logo churn 2.66% vs amer average 1.70% (+56%) for …; n = 25,439;
    /// q < 0.001; impact +246.30 churned accounts`, naming the slice when there is one.
    package var reading: String

    package var depth: Int { conditions.count }
}

/// Whether a finding is worse or better than its baseline.
package enum HotspotFindingDirection: String, Sendable, Equatable {
    case hot, cold
}
