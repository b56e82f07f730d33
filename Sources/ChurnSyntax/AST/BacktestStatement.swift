/// `BACKTEST WHEN condition [HORIZON n] [FROM cube] [WHERE filter] [BY dimension]`: whether a
/// condition on account-months predicts churn within the next n months.
package struct BacktestStatement: Hashable, Sendable {
    package var condition: Expression
    /// Months after the flagged month in which a churn counts; nil for the default.
    package var horizon: Int?
    package var cube: Identifier?
    package var filter: Expression?
    package var by: Identifier?
    @IgnoredInEquality package var range: SourceRange

    package init(condition: Expression, horizon: Int? = nil, cube: Identifier? = nil, filter: Expression? = nil, by: Identifier? = nil,
                 range: SourceRange = .synthesized) {
        self.condition = condition
        self.horizon = horizon
        self.cube = cube
        self.filter = filter
        self.by = by
        self.range = range
    }
}
