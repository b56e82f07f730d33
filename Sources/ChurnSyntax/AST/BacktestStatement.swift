/// `BACKTEST rule | WHEN condition [HORIZON n] [FROM cube] [WHERE filter] [BY dimension]`: whether
/// a rule of the cube or a condition on account-months predicts churn within the next n months.
package struct BacktestStatement: Hashable, Sendable {
    package var rule: RuleChoice
    /// Months after the flagged month in which a churn counts; nil for the default.
    package var horizon: Int?
    package var cube: Identifier?
    package var filter: Expression?
    package var by: Identifier?
    @IgnoredInEquality package var range: SourceRange

    package init(rule: RuleChoice, horizon: Int? = nil, cube: Identifier? = nil, filter: Expression? = nil, by: Identifier? = nil,
                 range: SourceRange = .synthesized) {
        self.rule = rule
        self.horizon = horizon
        self.cube = cube
        self.filter = filter
        self.by = by
        self.range = range
    }
}
