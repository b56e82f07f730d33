/// The answer of a hot-spot search: the ranked findings, the slice's overall value, and what
/// the search did.
package struct HotspotResult: Sendable, Equatable {
    package var findings: [HotspotFinding]
    /// Σx / Σy over the whole slice; nil when Σy = 0.
    package var globalValue: Double?
    /// The whole slice's moments.
    package var total: Moments
    package var statistics: HotspotSearchStatistics
}
