/// `ALERTS [rule, ... | WHEN condition] [AS OF 'period'] [FROM cube] [WHERE filter] [ORDER BY ...]
/// [LIMIT n]`: the active accounts rules or a condition flag in one month (the latest by default).
package struct AlertsStatement: Hashable, Sendable {
    package var rules: RuleChoice
    package var asOf: String?
    @IgnoredInEquality package var asOfRange: SourceRange
    package var cube: Identifier?
    package var filter: Expression?
    package var orderBy: [OrderItem]
    package var limit: Int?
    @IgnoredInEquality package var range: SourceRange

    package init(rules: RuleChoice, asOf: String? = nil, asOfRange: SourceRange = .synthesized, cube: Identifier? = nil,
                 filter: Expression? = nil, orderBy: [OrderItem] = [], limit: Int? = nil, range: SourceRange = .synthesized) {
        self.rules = rules
        self.asOf = asOf
        self.asOfRange = asOfRange
        self.cube = cube
        self.filter = filter
        self.orderBy = orderBy
        self.limit = limit
        self.range = range
    }
}
