/// `PARETO measure [FROM cube] [WHERE filter] [BY dimension]`: how concentrated a measure is over
/// the members of a dimension (accounts when BY is left out).
package struct ParetoStatement: Hashable, Sendable {
    package var measure: Expression
    package var cube: Identifier?
    package var filter: Expression?
    package var by: Identifier?
    @IgnoredInEquality package var range: SourceRange

    package init(measure: Expression, cube: Identifier? = nil, filter: Expression? = nil, by: Identifier? = nil,
                 range: SourceRange = .synthesized) {
        self.measure = measure
        self.cube = cube
        self.filter = filter
        self.by = by
        self.range = range
    }
}
