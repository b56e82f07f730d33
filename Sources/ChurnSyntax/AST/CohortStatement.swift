/// `COHORT measure [FROM cube] [WHERE filter] [BY dimension] [MONTHS n]`: retention of the
/// accounts that started in each month, by months since their start.
///
/// `BY` names either a coarser grain of the time axis for the cohorts (`quarter`, `year`) or a
/// dimension that splits each cohort by the account's member in its first month.
package struct CohortStatement: Hashable, Sendable {
    package var measure: Expression
    package var cube: Identifier?
    package var filter: Expression?
    package var by: Identifier?
    /// The last months-since-start column; nil for the default.
    package var months: Int?
    @IgnoredInEquality package var range: SourceRange

    package init(measure: Expression, cube: Identifier? = nil, filter: Expression? = nil, by: Identifier? = nil,
                 months: Int? = nil, range: SourceRange = .synthesized) {
        self.measure = measure
        self.cube = cube
        self.filter = filter
        self.by = by
        self.months = months
        self.range = range
    }
}
