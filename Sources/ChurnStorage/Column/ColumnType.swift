/// How a column's values are represented in the store.
///
/// Dimensions hold dictionary codes; measures hold integers, fixed-point decimals (money as
/// integer cents sums exactly and compresses better than doubles) or doubles.
package enum ColumnType: Sendable, Hashable, CustomStringConvertible {
    /// Dictionary-encoded text; code 0 always means NULL.
    case dimension
    case integer
    /// Fixed-point: the stored integer is the value times 10^scale.
    case decimal(scale: Int)
    case double

    package var isMeasure: Bool { self != .dimension }

    package var description: String {
        switch self {
        case .dimension: return "dimension"
        case .integer: return "integer"
        case let .decimal(scale): return "decimal(\(scale))"
        case .double: return "double"
        }
    }
}
