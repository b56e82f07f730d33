import ChurnModel
import ChurnStorage
import ChurnSyntax
import Dispatch

/// Runs statements against one open cube.
///
/// The catalog (attributes, level maps, parsed measure formulas) is built once per cube;
/// each statement is bound, planned and executed on demand. Safe to call from one thread at
/// a time; scans use every core internally.
package final class QueryEngine: @unchecked Sendable {
    package let cube: Cube
    package let catalog: CubeCatalog
    package init(cube: Cube) throws {
        self.cube = cube
        self.catalog = try CubeCatalog(cube: cube)
    }

    /// An engine whose aggregations run on a remote SQL engine; `cube`'s store holds the
    /// members of its dimensions and no rows.
    package init(cube: Cube, connection: any SQLConnection, rowCount: Int) throws {
        self.cube = cube
        self.catalog = try CubeCatalog(cube: cube, connection: connection, remoteRowCount: rowCount)
    }

    /// An engine over `cube`, the cube of `base` with columns appended: the catalog's attributes
    /// (and the member orders they have computed) are shared.
    init(extending base: QueryEngine, with cube: Cube, windowColumns: [Int: RemoteWindowColumn] = [:]) {
        self.cube = cube
        self.catalog = CubeCatalog(extending: base.catalog, cube: cube, windowColumns: windowColumns)
    }

    package func execute(_ statement: Statement, cancellation: Cancellation = .never) throws -> QueryResult {
        switch statement.kind {
        case let .select(select):
            if select.comparison != nil {
                throw QueryError("COMPARE is not available in this program", at: statement.range)
            }
            var profile = ExecutionProfile()
            return try run(select, cancellation: cancellation, profile: &profile)
        case let .explain(inner):
            return try explain(inner, cancellation: cancellation)
        case let .describe(name):
            try checkCube(name)
            return CubeDescription.result(for: catalog)
        case .save:
            // Snapshots are written by the program that links them, before the engine sees SAVE.
            throw QueryError("SAVE is not available in this program", at: statement.range)
        case .hotspots:
            throw QueryError("HOTSPOTS is not available in this program", at: statement.range)
        case let .drill(drill):
            return try DrillPath(engine: self).run(drill, cancellation: cancellation)
        case let .pivot(pivot):
            return try PivotGrid(engine: self).run(pivot, cancellation: cancellation)
        case let .cohort(cohort):
            return try CohortRetention(engine: self).run(cohort, cancellation: cancellation)
        case let .pareto(pareto):
            return try ParetoCurve(engine: self).run(pareto, cancellation: cancellation)
        case let .backtest(backtest):
            return try RuleBacktest(engine: self).run(backtest, cancellation: cancellation)
        case let .health(health):
            return try HealthValidation(engine: self).run(health, cancellation: cancellation)
        case let .alerts(alerts):
            return try AccountAlerts(engine: self).run(alerts, cancellation: cancellation)
        case .why:
            throw QueryError("WHY is not available in this program", at: statement.range)
        case .trend:
            throw QueryError("TREND is not available in this program", at: statement.range)
        }
    }

    /// Parses and runs one statement (a convenience for tests and tools).
    package func execute(_ text: String, cancellation: Cancellation = .never) throws -> QueryResult {
        try execute(try Parser.parseStatement(text), cancellation: cancellation)
    }

    func run(_ select: SelectStatement, cancellation: Cancellation, profile: inout ExecutionProfile) throws -> QueryResult {
        let history = try resolvingHistory(in: select, cancellation: cancellation)
        guard history.engine === self else {
            var result = try history.engine.run(history.select, cancellation: cancellation, profile: &profile)
            result.warnings = history.warnings + result.warnings
            return result
        }
        var binder = SelectBinder(catalog: catalog)
        var result = try run(try binder.bind(select), cancellation: cancellation, profile: &profile)
        result.warnings = binder.warnings
        return result
    }

    /// The fact rows of `select` whose rows are those of `slice` its own filter keeps (its filter
    /// must be `slice AND` that), and in the same scan the exact SUM of the stored column
    /// `column` over all the rows of `slice`: ALERTS lists what a rule flags and sums the MRR of
    /// the whole month at once. With `countingMembersOf`, the index of a dimension column of
    /// the SELECT, it also counts that column's distinct members among the rows (the accounts
    /// flagged). Nil where one scan cannot do all (a remote engine, history calls still to
    /// compute, a SELECT that aggregates, a column that is not exact), for several statements
    /// instead.
    func rows(of select: SelectStatement, keeping condition: Expression, of slice: Expression, totaling column: String,
              countingMembersOf memberColumn: Int? = nil,
              cancellation: Cancellation) throws -> (rows: QueryResult, total: ResultValue, members: Int?)? {
        guard catalog.connection == nil, let index = catalog.cube.store.columnIndex(named: column) else { return nil }
        let scale: Int
        switch catalog.cube.store.columns[index].type {
        case .integer: scale = 0
        case let .decimal(decimalScale): scale = decimalScale
        default: return nil
        }
        let history = try resolvingHistory(in: select, cancellation: cancellation)
        guard history.engine === self, history.warnings.isEmpty else { return nil }
        var binder = SelectBinder(catalog: catalog)
        guard case var .drillThrough(query) = try binder.bind(select) else { return nil }
        var predicates = PredicateBinder(catalog: catalog)
        query.sliceTotal = DrillThroughQuery.SliceTotal(slice: try predicates.bind(slice), column: index, scale: scale)
        query.filter = try predicates.bind(condition)
        var profile = ExecutionProfile()
        if let memberColumn {
            guard query.columns.indices.contains(memberColumn), query.columns[memberColumn].attribute != nil else { return nil }
            query.countedMembers = memberColumn
        }
        var (result, total, members) = try DrillThroughExecutor(catalog: catalog, query: query).runWithTotal(cancellation: cancellation, profile: &profile)
        result.warnings = binder.warnings
        return (result, total, members)
    }

    private func run(_ bound: BoundSelect, cancellation: Cancellation, profile: inout ExecutionProfile) throws -> QueryResult {
        switch bound {
        case let .aggregate(query):
            return try AggregateExecutor(catalog: catalog, query: query).run(cancellation: cancellation, profile: &profile)
        case let .drillThrough(query):
            if let connection = catalog.connection {
                return try RemoteDrillThrough(connection: connection, catalog: catalog, query: query).run(cancellation: cancellation, profile: &profile)
            }
            return try DrillThroughExecutor(catalog: catalog, query: query).run(cancellation: cancellation, profile: &profile)
        }
    }

    private func explain(_ statement: Statement, cancellation: Cancellation) throws -> QueryResult {
        switch statement.kind {
        case let .select(select):
            let history = try resolvingHistory(in: select, cancellation: cancellation)
            guard history.engine === self else {
                var result = try history.engine.explain(Statement(.select(history.select), range: statement.range), cancellation: cancellation)
                result.warnings = history.warnings + result.warnings
                return result
            }
            var binder = SelectBinder(catalog: catalog)
            let bound = try binder.bind(select)
            var profile = ExecutionProfile()
            _ = try run(bound, cancellation: cancellation, profile: &profile)
            var result = QueryResult.message(QueryPlanText(catalog: catalog).render(statement: statement, bound: bound, profile: profile))
            result.warnings = binder.warnings
            return result
        default:
            throw QueryError("EXPLAIN works on SELECT (and HOTSPOTS where the analysis layer is linked)", at: statement.range)
        }
    }
}
