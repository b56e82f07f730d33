/// `SELECT items [FROM cube] [WHERE filter] [GROUP BY grouping] [HAVING having]
/// [COMPARE condition TO condition] [HAVING having] [ORDER BY ordering] [LIMIT n] [OFFSET n]`.
package struct SelectStatement: Hashable, Sendable {
    package var items: [SelectItem]
    package var cube: Identifier?
    package var filter: Expression?
    /// The GROUP BY items in order; several items combine as a cross product of their
    /// grouping sets, as in SQL.
    package var groupBy: [GroupingElement]
    /// Two slices of the time axis whose measures the result sets side by side.
    package var comparison: PeriodComparison?
    package var having: Expression?
    package var orderBy: [OrderItem]
    package var limit: Int?
    package var offset: Int?
    @IgnoredInEquality package var range: SourceRange

    package init(
        items: [SelectItem], cube: Identifier? = nil, filter: Expression? = nil,
        groupBy: [GroupingElement] = [], comparison: PeriodComparison? = nil, having: Expression? = nil, orderBy: [OrderItem] = [],
        limit: Int? = nil, offset: Int? = nil, range: SourceRange = .synthesized
    ) {
        self.items = items
        self.cube = cube
        self.filter = filter
        self.groupBy = groupBy
        self.comparison = comparison
        self.having = having
        self.orderBy = orderBy
        self.limit = limit
        self.offset = offset
        self.range = range
    }
}
