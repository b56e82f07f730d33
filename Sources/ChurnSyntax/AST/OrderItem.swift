/// One ORDER BY key: an expression, an output alias (a column reference) or a 1-based
/// position (an integer literal), with direction and NULL placement.
package struct OrderItem: Hashable, Sendable {
    /// Sort direction; ascending unless DESC is written.
    package enum Direction: String, Hashable, Sendable {
        case ascending = "ASC", descending = "DESC"
    }

    /// Explicit `NULLS FIRST` / `NULLS LAST`.
    package enum NullPlacement: String, Hashable, Sendable {
        case first = "FIRST", last = "LAST"
    }

    package var expression: Expression
    package var direction: Direction
    /// Nil when not written; the planner applies its default.
    package var nulls: NullPlacement?
    @IgnoredInEquality package var range: SourceRange

    package init(
        _ expression: Expression, direction: Direction = .ascending, nulls: NullPlacement? = nil,
        range: SourceRange = .synthesized
    ) {
        self.expression = expression
        self.direction = direction
        self.nulls = nulls
        self.range = range
    }

    /// The output column position when the key is an integer literal (`ORDER BY 2`).
    package var position: Int? {
        if case let .integer(value) = expression.kind { return value }
        return nil
    }
}
