/// One parsed statement of the query language. Equality ignores ranges.
package struct Statement: Hashable, Sendable {
    /// The statement forms.
    package indirect enum Kind: Hashable, Sendable {
        case select(SelectStatement)
        /// `EXPLAIN <statement>`: show the plan instead of running it.
        case explain(Statement)
        /// `DESCRIBE [cube]`: list cubes, or one cube's dimensions and measures.
        case describe(Identifier?)
        /// `SAVE 'path'`.
        case save(path: String)
        case hotspots(HotspotsStatement)
        case drill(DrillStatement)
        case pivot(PivotStatement)
        case cohort(CohortStatement)
        case why(WhyStatement)
        case trend(TrendStatement)
        case pareto(ParetoStatement)
        case backtest(BacktestStatement)
        case health(HealthStatement)
        case alerts(AlertsStatement)
    }

    package var kind: Kind
    @IgnoredInEquality package var range: SourceRange

    package init(_ kind: Kind, range: SourceRange = .synthesized) {
        self.kind = kind
        self.range = range
    }
}
