/// `TREND measure [FROM cube] [WHERE filter] BY dimension [LAST n MONTHS]`: a ratio measure month
/// by month for each member, with its slope.
package struct TrendStatement: Hashable, Sendable {
    package var measure: Expression
    package var cube: Identifier?
    package var filter: Expression?
    package var by: Identifier
    /// The window: the last n months of the slice; nil for every month.
    package var lastMonths: Int?
    @IgnoredInEquality package var range: SourceRange

    package init(measure: Expression, cube: Identifier? = nil, filter: Expression? = nil, by: Identifier, lastMonths: Int? = nil,
                 range: SourceRange = .synthesized) {
        self.measure = measure
        self.cube = cube
        self.filter = filter
        self.by = by
        self.lastMonths = lastMonths
        self.range = range
    }
}
