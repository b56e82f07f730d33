/// Benjamini–Hochberg adjusted p-values (q-values): rejecting every hypothesis with q ≤ α keeps
/// the expected share of false discoveries at most α (independent or positively dependent tests).
package enum BenjaminiHochberg {
    /// q₍ᵢ₎ = min over j ≥ i of p₍ⱼ₎·m/j, capped at 1, in the order of `pValues`.
    package static func qValues(_ pValues: [Double]) -> [Double] {
        let count = pValues.count
        guard count > 0 else { return [] }
        let order = pValues.indices.sorted { pValues[$0] < pValues[$1] }
        var qValues = [Double](repeating: 1, count: count)
        var running = 1.0
        for rank in stride(from: count, through: 1, by: -1) {
            let index = order[rank - 1]
            running = min(running, pValues[index] * Double(count) / Double(rank))
            qValues[index] = running
        }
        return qValues
    }
}
