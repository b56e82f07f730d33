/// What a planner may know about a column chunk without decompressing it.
package struct ChunkStatistics: Sendable, Equatable {
    package var rowCount: Int
    package var nullCount: Int
    /// Minimum and maximum of the non-NULL values in stored units (codes, integers, scaled
    /// decimals); for double columns, of the values' `Double` bit patterns mapped to `doubleRange`.
    package var integerRange: ClosedRange<Int64>?
    package var doubleRange: ClosedRange<Double>?
    /// For dimension chunks with few distinct values: exactly which codes occur (sorted), so an
    /// equality or IN predicate can skip a chunk whose codes fall inside [min, max] but never occur.
    package var distinctCodes: [UInt32]?

    /// Up to this many distinct codes are listed per chunk; beyond it the range must do.
    package static let distinctCodeLimit = 64

    package init(rowCount: Int, nullCount: Int, integerRange: ClosedRange<Int64>? = nil,
                 doubleRange: ClosedRange<Double>? = nil, distinctCodes: [UInt32]? = nil) {
        self.rowCount = rowCount
        self.nullCount = nullCount
        self.integerRange = integerRange
        self.doubleRange = doubleRange
        self.distinctCodes = distinctCodes
    }

    /// Every value is zero (and none is NULL): sums over the chunk need not read it.
    package var isAllZero: Bool {
        guard nullCount == 0 else { return false }
        if let integerRange { return integerRange == 0...0 }
        if let doubleRange { return doubleRange == 0...0 }
        return false
    }

    package var isAllNull: Bool { nullCount == rowCount }

    /// Whether any row of the chunk may carry one of `codes` (a dimension predicate resolved to codes).
    package func mayContain(anyOf codes: CodeSet) -> Bool {
        if let distinctCodes {
            // The list holds the non-NULL codes; NULL rows carry code 0.
            return distinctCodes.contains { codes.contains($0) } || (nullCount > 0 && codes.contains(0))
        }
        guard let integerRange else { return codes.contains(0) }
        let low = UInt32(clamping: integerRange.lowerBound)
        let high = UInt32(clamping: integerRange.upperBound)
        return codes.intersects(low...high) || (nullCount > 0 && codes.contains(0))
    }
}
