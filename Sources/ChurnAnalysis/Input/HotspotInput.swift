import ChurnQuery

/// What the query engine hands to a hot-spot search: the searched dimensions, the finest grouping
/// over them with additive moments per cell (one scan of the cube), and the measure.
///
/// Cells may come in any order; a key may appear more than once (its moments are added). Every
/// coarser cell is derived from these by re-aggregation, never by rescanning.
package struct HotspotInput: Sendable, Equatable {
    package var dimensions: [HotspotDimension]
    package var cells: [HotspotCell]
    package var measure: HotspotMeasure
    /// The slice the cells come from (the WHERE condition as written), named in readings:
    /// `vs average of segment = 'smb'`. Nil for the whole cube.
    package var slice: String?
    /// Each account's sums within each of `cells` it has rows in, when some account has rows in
    /// more than one (a dimension that changes from month to month): coarser cells merge an
    /// account's parts before squaring. Nil when every account lies in one cell: the cells'
    /// cluster moments then add up exactly.
    package var clusterParts: MomentTable.ClusterParts?
    /// The slice's spread per row, Σ(x − R·y)² / Σy² over its rows; nil: the cells' rows are
    /// their clusters, and the spread follows from their moments.
    package var rowSpread: Double?
    /// The numerator's flows, when it is a sum of several: expected baselines fit each on its own.
    package var flows: HotspotFlows?

    package init(dimensions: [HotspotDimension], cells: [HotspotCell], measure: HotspotMeasure, slice: String? = nil,
                 clusterParts: MomentTable.ClusterParts? = nil, rowSpread: Double? = nil, flows: HotspotFlows? = nil) {
        self.rowSpread = rowSpread
        self.flows = flows
        self.dimensions = dimensions
        self.cells = cells
        self.measure = measure
        self.slice = slice
        self.clusterParts = clusterParts
    }

    /// `country = US`, or `country IS NULL` for a NULL member.
    package func describe(_ condition: HotspotCondition) -> String {
        let dimension = dimensions[condition.dimension]
        guard let label = label(of: condition) else { return "\(dimension.name) IS NULL" }
        return "\(dimension.name) = \(label)"
    }

    /// The conditions joined by commas, in the order given.
    package func describe(_ conditions: [HotspotCondition]) -> String {
        conditions.isEmpty ? "all rows" : conditions.map(describe).joined(separator: ", ")
    }

    /// The label of the condition's code; nil for NULL.
    package func label(of condition: HotspotCondition) -> String? {
        let labels = dimensions[condition.dimension].labels
        let code = Int(condition.code)
        return code < labels.count ? labels[code] : nil
    }

    /// The moments of all cells together: the whole slice.
    package var total: Moments {
        cells.reduce(into: Moments.zero) { $0 += $1.moments }
    }
}

/// One condition `dimension = value` of a cell: the dimension's index among the input's
/// dimensions and the value's code.
package struct HotspotCondition: Sendable, Hashable {
    package var dimension: Int
    package var code: UInt32

    package init(dimension: Int, code: UInt32) {
        self.dimension = dimension
        self.code = code
    }
}
