/// `PIVOT measure [FROM cube] [WHERE filter] ROWS dim COLUMNS dim`: a two-dimension grid of
/// the measure, shown as a heat map.
package struct PivotStatement: Hashable, Sendable {
    package var measure: Expression
    package var cube: Identifier?
    package var filter: Expression?
    package var rows: Identifier
    package var columns: Identifier
    @IgnoredInEquality package var range: SourceRange

    package init(
        measure: Expression, cube: Identifier? = nil, filter: Expression? = nil,
        rows: Identifier, columns: Identifier, range: SourceRange = .synthesized
    ) {
        self.measure = measure
        self.cube = cube
        self.filter = filter
        self.rows = rows
        self.columns = columns
        self.range = range
    }
}
