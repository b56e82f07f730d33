/// `HEALTH [score] [HORIZON n] [FROM cube] [WHERE filter]`: whether a health score predicts churn
/// within the next n months: a dimension's bands (the cube's `health` by default), or a numeric
/// column or ratio measure in quintiles.
package struct HealthStatement: Hashable, Sendable {
    package var score: Identifier?
    package var horizon: Int?
    package var cube: Identifier?
    package var filter: Expression?
    @IgnoredInEquality package var range: SourceRange

    package init(score: Identifier? = nil, horizon: Int? = nil, cube: Identifier? = nil, filter: Expression? = nil,
                 range: SourceRange = .synthesized) {
        self.score = score
        self.horizon = horizon
        self.cube = cube
        self.filter = filter
        self.range = range
    }
}
