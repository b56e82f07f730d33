// MARK: - PARETO, BACKTEST, HEALTH, ALERTS: statements about accounts

extension ParseSession {
    mutating func parsePareto() throws(SyntaxError) -> ParetoStatement {
        let start = try expect(.pareto).range
        let measure = try parseExpression()
        let (cube, filter) = try parseSourceClauses()
        let by = accept(.by) != nil ? try parseIdentifier("a dimension") : nil
        try refuseLateSourceClause(statement: "PARETO", measure: measure, cube: cube, before: "BY", rest: "[BY dimension]")
        return ParetoStatement(measure: measure, cube: cube, filter: filter, by: by, range: range(from: start))
    }
}

// MARK: - Rules

extension ParseSession {
    /// A rule name must be followed by a clause or the end: `BACKTEST mrr_start >= 100` forgot WHEN.
    func refuseConditionWithoutWhen(after name: Identifier, statement: String, clauses: [Keyword]) throws(SyntaxError) {
        guard current.kind != .end, current.kind != .semicolon, !clauses.contains(where: check) else { return }
        let names = clauses.map(\.rawValue)
        throw failure(expected: names.dropLast().joined(separator: ", ") + " or \(names.last!) after the rule '\(name.name)'",
                      hint: "a condition starts with WHEN: \(statement) WHEN \(name.name) ...")
    }
}

// MARK: - BACKTEST

extension ParseSession {
    mutating func parseBacktest() throws(SyntaxError) -> BacktestStatement {
        let start = try expect(.backtest).range
        let rule: RuleChoice
        if atIdentifier, !check(.horizon) {
            let name = try parseIdentifier("a rule of the cube")
            try refuseConditionWithoutWhen(after: name, statement: "BACKTEST", clauses: [.horizon, .from, .where, .by])
            rule = .rules([name])
        } else {
            _ = try expect(.when, "a rule of the cube, or WHEN and the condition that flags an account-month", mentionPrevious: true)
            rule = .condition(try parseExpression())
        }
        var horizon: Int?
        if accept(.horizon) != nil { horizon = try parseCount() }
        let (cube, filter) = try parseSourceClauses()
        let by = accept(.by) != nil ? try parseIdentifier("a dimension") : nil
        if horizon == nil, accept(.horizon) != nil { horizon = try parseCount() }
        return BacktestStatement(rule: rule, horizon: horizon, cube: cube, filter: filter, by: by, range: range(from: start))
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
        var statement: AlertsStatement
        if accept(.when) != nil {
            statement = AlertsStatement(rules: .condition(try parseExpression()))
        } else {
            // Rule names, or none: every rule of the cube.
            var names: [Identifier] = []
            if atIdentifier {
                repeat { names.append(try parseIdentifier("a rule of the cube")) } while accept(.comma) != nil
                try refuseConditionWithoutWhen(after: names.last!, statement: "ALERTS", clauses: [.as, .from, .where, .order, .limit])
            }
            statement = AlertsStatement(rules: .rules(names))
        }
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
