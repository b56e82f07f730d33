/// `WHY measure [FROM cube] [WHERE filter] CHANGED FROM 'p1' TO 'p2' [BY dims | BY *] [DEPTH n]
/// [LIMIT n]`: the change of a ratio measure between two periods, split over the cells that
/// made it.
package struct WhyStatement: Hashable, Sendable {
    package var measure: Expression
    package var cube: Identifier?
    package var filter: Expression?
    /// The two periods, as written: a month, a quarter or a year of the time axis.
    package var before: String
    package var after: String
    @IgnoredInEquality package var beforeRange: SourceRange
    @IgnoredInEquality package var afterRange: SourceRange
    /// nil: every dimension a search `BY *` takes.
    package var dimensions: HotspotsStatement.Dimensions?
    package var depth: Int?
    package var limit: Int?
    @IgnoredInEquality package var range: SourceRange

    package init(measure: Expression, cube: Identifier? = nil, filter: Expression? = nil, before: String, after: String,
                 beforeRange: SourceRange = .synthesized, afterRange: SourceRange = .synthesized,
                 dimensions: HotspotsStatement.Dimensions? = nil, depth: Int? = nil, limit: Int? = nil,
                 range: SourceRange = .synthesized) {
        self.measure = measure
        self.cube = cube
        self.filter = filter
        self.before = before
        self.after = after
        self.beforeRange = beforeRange
        self.afterRange = afterRange
        self.dimensions = dimensions
        self.depth = depth
        self.limit = limit
        self.range = range
    }
}
