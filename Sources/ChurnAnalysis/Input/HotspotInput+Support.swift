extension HotspotInput {
    /// The one-condition cell with the largest support (denominator), the most any cell of a
    /// search can reach: a search whose minimum support is above it tests nothing.
    package func largestCell() -> (condition: HotspotCondition, support: Double)? {
        var best: (condition: HotspotCondition, support: Double)?
        for (dimension, definition) in dimensions.enumerated() {
            var supports = [Double](repeating: 0, count: definition.cardinality)
            for cell in cells where dimension < cell.key.count && Int(cell.key[dimension]) < supports.count {
                supports[Int(cell.key[dimension])] += cell.moments.y
            }
            for (code, support) in supports.enumerated() where support > (best?.support ?? 0) {
                best = (HotspotCondition(dimension: dimension, code: UInt32(code)), support)
            }
        }
        return best
    }
}
