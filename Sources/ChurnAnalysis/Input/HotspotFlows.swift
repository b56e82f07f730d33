/// A numerator that is a sum of flows, each with its own causes: NRR's is mrr_start − churned −
/// downsell + upsell + crosssell. The search fits each flow's expectation on its own and adds
/// them up, `denominatorCoefficient · y + Σ coefficient · E[flow]`, instead of fitting the
/// numerator as a whole.
///
/// Churn and downsell multiply along the dimensions (smb churns 1.4 times, dormant accounts 3
/// times, smb's dormant accounts 4.2 times), so their sum with what is kept does not: a
/// log-linear model of NRR as a whole predicts smb's dormant accounts to lose what smb and
/// dormancy lose side by side, well short of what they do lose, and with enough rows every
/// such cell reads as an interaction. Fitted flow by flow, the multiplication is the model's.
package struct HotspotFlows: Sendable, Equatable {
    /// How often the denominator itself is a term of the numerator (NRR: once); its expectation
    /// is the cell's own denominator.
    package var denominatorCoefficient: Double
    /// Each flow's coefficient in the numerator (−1 for churned MRR, +1 for upsell).
    package var coefficients: [Double]
    /// Each flow's name, for EXPLAIN: `churned_mrr`.
    package var names: [String]
    /// `sums[flow][cell]`: the flow's Σ over the rows of the input's cell of that index.
    package var sums: [[Double]]

    package init(denominatorCoefficient: Double, coefficients: [Double], names: [String], sums: [[Double]]) {
        self.denominatorCoefficient = denominatorCoefficient
        self.coefficients = coefficients
        self.names = names
        self.sums = sums
    }
}
