import ChurnQuery
import ChurnSyntax

/// Runs any statement on an open cube: HOTSPOTS (and its EXPLAIN) in the analysis layer, DRILL on
/// the query engine with the analysis layer's baselines beside it, every other statement on the
/// query engine. The analysis is a client of the engine's grouped scan;
/// the engine knows nothing of it.
package struct StatementRunner: Sendable {
    package let engine: QueryEngine

    package init(engine: QueryEngine) { self.engine = engine }

    package func execute(_ statement: Statement, cancellation: Cancellation = .never) throws -> QueryResult {
        switch statement.kind {
        case let .hotspots(hotspots):
            return try HotspotQuery.run(hotspots, engine: engine, cancellation: cancellation, explain: false)
        case let .drill(drill):
            let steps = try engine.execute(statement, cancellation: cancellation)
            return try DrillBaselines.adding(to: steps, for: drill, engine: engine, cancellation: cancellation)
        case let .select(select) where select.comparison != nil:
            return try PeriodComparisonQuery.run(select, range: statement.range, engine: engine, cancellation: cancellation)
        case let .why(why):
            return try ChangeAnalysisQuery.run(why, engine: engine, cancellation: cancellation)
        case let .trend(trend):
            return try TrendQuery.run(trend, engine: engine, cancellation: cancellation)
        case let .explain(inner):
            if case let .hotspots(hotspots) = inner.kind {
                return try HotspotQuery.run(hotspots, engine: engine, cancellation: cancellation, explain: true)
            }
            if case let .select(select) = inner.kind, select.comparison != nil {
                return try PeriodComparisonQuery.explain(select, range: inner.range, engine: engine, cancellation: cancellation)
            }
        default:
            break
        }
        return try engine.execute(statement, cancellation: cancellation)
    }

    /// Parses and runs one statement (a convenience for tests and tools).
    package func execute(_ text: String, cancellation: Cancellation = .never) throws -> QueryResult {
        try execute(try Parser.parseStatement(text), cancellation: cancellation)
    }
}
