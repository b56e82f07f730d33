/// What `FactGenerator` produces: how many rows, from which seed, with or without planted effects,
/// and in which order.
package struct GeneratorOptions: Sendable, Equatable {
    /// Exactly this many data rows are written after the header.
    package var rows: Int
    /// The same seed gives byte-identical output on every machine.
    package var seed: UInt64
    /// With false, churn, cancellation and downsell are independent of every dimension (a null
    /// data set); the accounts and their attributes stay the same.
    package var plantedEffects: Bool
    package var order: RowOrder
    /// Also plant `campaign = search AND region = apac` (an interaction of a child level of one
    /// hierarchy with another hierarchy's parent level); off by default, so the default data stay
    /// what other tests and the bundled sample were made from. Needs `plantedEffects`.
    package var campaignRegionInteraction: Bool
    /// With true, churn changes from one month on in one combination of dimensions
    /// (`PlantedEffects.isShifted`), with or without the other planted effects.
    package var plantedShift: Bool

    package init(rows: Int, seed: UInt64 = 42, plantedEffects: Bool = true, order: RowOrder = .account,
                 campaignRegionInteraction: Bool = false, plantedShift: Bool = false) {
        precondition(rows >= 0, "the row count cannot be negative")
        self.rows = rows
        self.seed = seed
        self.plantedEffects = plantedEffects
        self.order = order
        self.campaignRegionInteraction = campaignRegionInteraction
        self.plantedShift = plantedShift
    }
}
