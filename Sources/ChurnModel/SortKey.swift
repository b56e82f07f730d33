/// The physical order of a cube's rows, declared by `sort:` in the cube definition.
///
/// Rows are stored clustered by the key whatever order the input came in: month-by-month exports
/// and account-by-account exports give the same store. Clustering by account turns the attributes
/// that are constant per account into long runs, which compress and scan run by run.
package enum SortKey: Sendable, Equatable {
    /// The dimension with the most values (the account), then the month dimensions; the input's
    /// order when no dimension has more than 64 values (nothing to cluster by).
    case automatic
    /// Keep the input's order.
    case none
    /// These dimensions, the first varying slowest.
    case columns([String])

    /// The dimensions to sort by, for a cube with `definition` whose dictionaries have
    /// `cardinalities[name]` values. Empty: keep the input's order.
    package func resolved(in definition: CubeDefinition, cardinalities: [String: Int]) -> [String] {
        switch self {
        case .none: return []
        case let .columns(names): return names
        case .automatic:
            let months = definition.dimensions.filter { $0.kind == .month }.map(\.name)
            let widest = definition.dimensions.filter { $0.kind == .text }
                .max { (cardinalities[$0.name] ?? 0) < (cardinalities[$1.name] ?? 0) }
            // Clustering pays when the leading dimension has long runs to give: many values, each on few rows.
            guard let widest, (cardinalities[widest.name] ?? 0) > 64 else { return [] }
            return [widest.name] + months
        }
    }
}
