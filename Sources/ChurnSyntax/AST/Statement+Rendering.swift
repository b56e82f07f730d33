// MARK: - Canonical SQL text

extension Statement: CustomStringConvertible {
    /// Canonical text of the statement (no trailing semicolon); parses back to an equal one.
    package var description: String {
        switch kind {
        case let .select(select): return select.description
        case let .explain(inner): return "EXPLAIN " + inner.description
        case let .describe(name): return name.map { "DESCRIBE \($0)" } ?? "DESCRIBE"
        case let .save(path): return "SAVE " + Expression.quotedString(path)
        case let .hotspots(hotspots): return hotspots.description
        case let .drill(drill): return drill.description
        case let .pivot(pivot): return pivot.description
        case let .cohort(cohort): return cohort.description
        case let .why(why): return why.description
        case let .trend(trend): return trend.description
        case let .pareto(pareto): return pareto.description
        case let .backtest(backtest): return backtest.description
        case let .health(health): return health.description
        case let .alerts(alerts): return alerts.description
        }
    }

    /// `FROM cube WHERE filter`, as far as present, with a leading space.
    static func sourceClauses(cube: Identifier?, filter: Expression?) -> String {
        var text = ""
        if let cube { text += " FROM \(cube)" }
        if let filter { text += " WHERE \(filter)" }
        return text
    }
}

extension SelectStatement: CustomStringConvertible {
    package var description: String {
        var text = "SELECT " + items.map(\.description).joined(separator: ", ")
        text += Statement.sourceClauses(cube: cube, filter: filter)
        if !groupBy.isEmpty { text += " GROUP BY " + groupBy.map(\.description).joined(separator: ", ") }
        if let comparison { text += " COMPARE \(comparison.before) TO \(comparison.after)" }
        if let having { text += " HAVING \(having)" }
        if !orderBy.isEmpty { text += " ORDER BY " + orderBy.map(\.description).joined(separator: ", ") }
        if let limit { text += " LIMIT \(limit)" }
        if let offset { text += " OFFSET \(offset)" }
        return text
    }
}

extension SelectItem: CustomStringConvertible {
    package var description: String {
        switch kind {
        case .wildcard: return "*"
        case let .expression(expression, alias): return alias.map { "\(expression) AS \($0)" } ?? expression.description
        }
    }
}

extension GroupingElement: CustomStringConvertible {
    package var description: String {
        func list(_ items: [Expression]) -> String { items.map(\.description).joined(separator: ", ") }
        switch kind {
        case let .expression(expression): return expression.description
        case let .rollup(items): return "ROLLUP(\(list(items)))"
        case let .cube(items): return "CUBE(\(list(items)))"
        case let .groupingSets(sets): return "GROUPING SETS(" + sets.map { "(\(list($0)))" }.joined(separator: ", ") + ")"
        }
    }
}

extension OrderItem: CustomStringConvertible {
    package var description: String {
        var text = expression.description
        if direction == .descending { text += " DESC" }
        if let nulls { text += " NULLS \(nulls.rawValue)" }
        return text
    }
}

extension HotspotsStatement: CustomStringConvertible {
    package var description: String {
        var text = "HOTSPOTS \(measure)" + Statement.sourceClauses(cube: cube, filter: filter)
        switch dimensions {
        case .all: text += " BY *"
        case let .list(names): text += " BY " + names.map(\.description).joined(separator: ", ")
        }
        if let depth { text += " DEPTH \(depth)" }
        if let minimumSupport {
            let integral = minimumSupport.rounded() == minimumSupport && abs(minimumSupport) < 1e15
            text += " MIN SUPPORT " + (integral ? String(Int(minimumSupport)) : minimumSupport.description)
        }
        if let baseline { text += " VERSUS \(baseline.rawValue)" }
        if let direction { text += " \(direction.rawValue)" }
        if let ranking { text += " ORDER BY \(ranking.rawValue)" }
        if let limit { text += " LIMIT \(limit)" }
        return text
    }
}

extension DrillStatement: CustomStringConvertible {
    package var description: String {
        "DRILL \(measure)" + Statement.sourceClauses(cube: cube, filter: filter) + " TO "
            + path.map { "\($0.dimension) = \($0.value)" }.joined(separator: " AND ")
    }
}

extension PivotStatement: CustomStringConvertible {
    package var description: String {
        "PIVOT \(measure)" + Statement.sourceClauses(cube: cube, filter: filter) + " ROWS \(rows) COLUMNS \(columns)"
    }
}

extension CohortStatement: CustomStringConvertible {
    package var description: String {
        var text = "COHORT \(measure)" + Statement.sourceClauses(cube: cube, filter: filter)
        if let by { text += " BY \(by)" }
        if let months { text += " MONTHS \(months)" }
        return text
    }
}

extension WhyStatement: CustomStringConvertible {
    package var description: String {
        var text = "WHY \(measure)" + Statement.sourceClauses(cube: cube, filter: filter)
        text += " CHANGED FROM \(Expression.quotedString(before)) TO \(Expression.quotedString(after))"
        switch dimensions {
        case .all?: text += " BY *"
        case let .list(names)?: text += " BY " + names.map(\.description).joined(separator: ", ")
        case nil: break
        }
        if let depth { text += " DEPTH \(depth)" }
        if let limit { text += " LIMIT \(limit)" }
        return text
    }
}

extension TrendStatement: CustomStringConvertible {
    package var description: String {
        var text = "TREND \(measure)" + Statement.sourceClauses(cube: cube, filter: filter) + " BY \(by)"
        if let lastMonths { text += " LAST \(lastMonths) MONTHS" }
        return text
    }
}

extension ParetoStatement: CustomStringConvertible {
    package var description: String {
        "PARETO \(measure)" + Statement.sourceClauses(cube: cube, filter: filter) + (by.map { " BY \($0)" } ?? "")
    }
}

extension BacktestStatement: CustomStringConvertible {
    package var description: String {
        var text = "BACKTEST \(rule)"
        if let horizon { text += " HORIZON \(horizon)" }
        text += Statement.sourceClauses(cube: cube, filter: filter)
        if let by { text += " BY \(by)" }
        return text
    }
}

extension HealthStatement: CustomStringConvertible {
    package var description: String {
        var text = "HEALTH"
        if let score { text += " \(score)" }
        if let horizon { text += " HORIZON \(horizon)" }
        return text + Statement.sourceClauses(cube: cube, filter: filter)
    }
}

extension AlertsStatement: CustomStringConvertible {
    package var description: String {
        var text = "ALERTS" + (rules == .rules([]) ? "" : " \(rules)")
        if let asOf { text += " AS OF \(Expression.quotedString(asOf))" }
        text += Statement.sourceClauses(cube: cube, filter: filter)
        if !orderBy.isEmpty { text += " ORDER BY " + orderBy.map(\.description).joined(separator: ", ") }
        if let limit { text += " LIMIT \(limit)" }
        return text
    }
}
