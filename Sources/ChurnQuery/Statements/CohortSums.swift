import ChurnStorage

/// What COHORT reads from the rows, whoever scans them: per account its cohort (the month of its
/// first row and, with BY, the member of that month), and per (cohort, calendar month) the sums
/// of the measure. The in-memory scans and the remote statement both give exactly this, so the
/// table is folded from it the same way.
struct CohortSums {
    /// A cohort as the engine numbers it: (start − dataFirst) × split members + member + 1.
    struct Cell {
        var cohort: Int
        /// Calendar month index (`TimeAxis`).
        var month: Int
        /// Accounts with a row in the month and `churned = 0` in it.
        var activeAccounts: Double = 0
        /// Σ `activeSum` over those rows.
        var activeSum: Double = 0
        /// Σ of each of `CohortInputs.rowSums` over the cohort's rows in the month; nil where
        /// every value was NULL (SQL's SUM of NULLs).
        var rowSums: [Double?] = []
    }

    /// Calendar month indexes of the slice's first and last month.
    var dataFirst: Int
    var dataLast: Int
    /// Accounts whose first row is in the data's first month: their start is unknown.
    var leftOut = 0
    /// Accounts per cohort number (index 0 unused).
    var startCounts: [Int]
    var cells: [Cell] = []
}

/// The sums a COHORT measure needs.
struct CohortInputs {
    /// The slice.
    var filter: RowPredicate?
    /// The rows of accounts still active, `churned = 0`, within the slice; nil when the measure
    /// does not count them (a ratio measure).
    var active: RowPredicate?
    /// Summed over the active rows (revenue retention's `mrr_end`).
    var activeSum: RowExpression?
    /// Summed over every row of the slice (revenue retention's `mrr_start`, or a ratio measure's
    /// numerator and denominator).
    var rowSums: [RowExpression]
}
