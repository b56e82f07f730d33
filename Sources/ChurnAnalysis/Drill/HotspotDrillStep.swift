/// One step of a drill path: the measure after adding one more condition, and how it moved
/// from the step before.
package struct HotspotDrillStep: Sendable, Equatable {
    /// The conditions so far; empty for the whole slice.
    package var conditions: [HotspotCondition]
    package var conditionText: String
    package var rows: Double
    /// The denominator Σy.
    package var support: Double
    package var numerator: Double
    /// Σx / Σy; nil when Σy = 0.
    package var value: Double?
    /// value / previous step's value − 1; nil on the first step or when either is undefined.
    package var change: Double?
    /// The step's rows against the rest of the previous step's rows; nil on the first step.
    package var z: Double?
    package var pValue: Double?
    /// `logo churn 3.03% for country = US, channel = reseller; n = 15,503; +52% on country = US (p < 0.001)`.
    package var reading: String
}
