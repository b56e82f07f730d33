/// `DRILL measure [FROM cube] [WHERE filter] TO dim = 'v' AND dim = 'v' ...`: the path to
/// one cell, one condition per step, so each step can be shown against its parent.
package struct DrillStatement: Hashable, Sendable {
    /// One `dimension = value` condition; the value is a literal.
    package struct Step: Hashable, Sendable {
        package var dimension: Identifier
        package var value: Expression
        @IgnoredInEquality package var range: SourceRange

        package init(dimension: Identifier, value: Expression, range: SourceRange = .synthesized) {
            self.dimension = dimension
            self.value = value
            self.range = range
        }
    }

    package var measure: Expression
    package var cube: Identifier?
    package var filter: Expression?
    package var path: [Step]
    @IgnoredInEquality package var range: SourceRange

    package init(
        measure: Expression, cube: Identifier? = nil, filter: Expression? = nil, path: [Step],
        range: SourceRange = .synthesized
    ) {
        self.measure = measure
        self.cube = cube
        self.filter = filter
        self.path = path
        self.range = range
    }
}
