/// One item of a GROUP BY list.
package struct GroupingElement: Hashable, Sendable {
    /// A plain expression, `ROLLUP(...)`, `CUBE(...)` or `GROUPING SETS(...)`.
    package enum Kind: Hashable, Sendable {
        case expression(Expression)
        case rollup([Expression])
        case cube([Expression])
        /// Each inner list is one set; `()` is the empty set (the grand total).
        case groupingSets([[Expression]])
    }

    package var kind: Kind
    @IgnoredInEquality package var range: SourceRange

    package init(_ kind: Kind, range: SourceRange = .synthesized) {
        self.kind = kind
        self.range = range
    }
}
