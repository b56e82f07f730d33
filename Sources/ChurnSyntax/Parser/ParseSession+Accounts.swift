// MARK: - PARETO, BACKTEST, HEALTH, ALERTS: statements about accounts

extension ParseSession {
    mutating func parsePareto() throws(SyntaxError) -> ParetoStatement {
        let start = try expect(.pareto).range
        let measure = try parseExpression()
        let (cube, filter) = try parseSourceClauses()
        try refuseLateSourceClause(statement: "PARETO", measure: measure, cube: cube, before: "BY", rest: "[BY dimension]")
        let by = accept(.by) != nil ? try parseIdentifier("a dimension") : nil
        return ParetoStatement(measure: measure, cube: cube, filter: filter, by: by, range: range(from: start))
    }
}

// MARK: - BACKTEST

extension ParseSession {
    mutating func parseBacktest() throws(SyntaxError) -> BacktestStatement {
        let start = try expect(.backtest).range
        _ = try expect(.when, "WHEN and the condition that flags an account-month", mentionPrevious: true)
        let condition = try parseExpression()
        var horizon: Int?
        if accept(.horizon) != nil { horizon = try parseCount() }
        let (cube, filter) = try parseSourceClauses()
        let by = accept(.by) != nil ? try parseIdentifier("a dimension") : nil
        if horizon == nil, accept(.horizon) != nil { horizon = try parseCount() }
        return BacktestStatement(condition: condition, horizon: horizon, cube: cube, filter: filter, by: by, range: range(from: start))
    }
}

// MARK: - HEALTH

extension ParseSession {
    mutating func parseHealth() throws(SyntaxError) -> HealthStatement {
        let start = try expect(.health).range
        var statement = HealthStatement()
        if atIdentifier, !check(.horizon) { statement.score = try parseIdentifier("a dimension holding the score") }
        if accept(.horizon) != nil { statement.horizon = try parseCount() }
        (statement.cube, statement.filter) = try parseSourceClauses()
        statement.range = range(from: start)
        return statement
    }
}

// MARK: - ALERTS

extension ParseSession {
    mutating func parseAlerts() throws(SyntaxError) -> AlertsStatement {
        let start = try expect(.alerts).range
        _ = try expect(.when, "WHEN and the condition that flags an account", mentionPrevious: true)
        var statement = AlertsStatement(condition: try parseExpression())
        if accept(.as) != nil {
            _ = try expect(.of, "OF and a month", mentionPrevious: true)
            guard case let .string(month) = current.kind else { throw failure(expected: "a quoted month such as '2025-06'", mentionPrevious: true) }
            statement.asOfRange = advance().range
            statement.asOf = month
        }
        (statement.cube, statement.filter) = try parseSourceClauses()
        if accept(.order) != nil {
            _ = try expect(.by)
            repeat { statement.orderBy.append(try parseOrderItem()) } while accept(.comma) != nil
        }
        if accept(.limit) != nil { statement.limit = try parseCount() }
        statement.range = range(from: start)
        return statement
    }
}
