// MARK: - COHORT, WHY, TREND

extension ParseSession {
    mutating func parseCohort() throws(SyntaxError) -> CohortStatement {
        let start = try expect(.cohort).range
        let measure = try parseExpression()
        let (cube, filter) = try parseSourceClauses()
        var statement = CohortStatement(measure: measure, cube: cube, filter: filter)
        var seen: Set<Keyword> = []
        while let keyword = current.keyword, keyword == .by || keyword == .months {
            if !seen.insert(keyword).inserted { throw SyntaxError(.duplicateClause(keyword.rawValue), at: current.range) }
            advance()
            if keyword == .by { statement.by = try parseIdentifier("a dimension, or quarter or year for the cohorts' grain") }
            else { statement.months = try parseCount() }
        }
        try refuseLateSourceClause(statement: "COHORT", measure: measure, cube: cube, before: "BY", rest: "[BY dimension] [MONTHS n]")
        statement.range = range(from: start)
        return statement
    }

    mutating func parseWhy() throws(SyntaxError) -> WhyStatement {
        let start = try expect(.why).range
        let measure = try parseExpression()
        let (cube, filter) = try parseSourceClauses()
        try refuseLateSourceClause(statement: "WHY", measure: measure, cube: cube, before: "CHANGED",
                                   rest: "CHANGED FROM 'period' TO 'period'")
        _ = try expect(.changed, "CHANGED FROM 'period' TO 'period'", mentionPrevious: false)
        _ = try expect(.from, "FROM and the first period", mentionPrevious: true)
        let (before, beforeRange) = try parsePeriodLiteral()
        _ = try expect(.to, "TO and the second period", mentionPrevious: true)
        let (after, afterRange) = try parsePeriodLiteral()
        var statement = WhyStatement(measure: measure, cube: cube, filter: filter, before: before, after: after,
                                     beforeRange: beforeRange, afterRange: afterRange)
        var seen: Set<Keyword> = []
        while let keyword = current.keyword, keyword == .by || keyword == .depth || keyword == .limit {
            if !seen.insert(keyword).inserted { throw SyntaxError(.duplicateClause(keyword.rawValue), at: current.range) }
            advance()
            switch keyword {
            case .by:
                if accept(.star) != nil {
                    statement.dimensions = .all
                } else {
                    var names = [try parseIdentifier("a dimension or '*'")]
                    while accept(.comma) != nil { names.append(try parseIdentifier("a dimension")) }
                    statement.dimensions = .list(names)
                }
            case .depth: statement.depth = try parseCount()
            default: statement.limit = try parseCount()
            }
        }
        statement.range = range(from: start)
        return statement
    }

    mutating func parseTrend() throws(SyntaxError) -> TrendStatement {
        let start = try expect(.trend).range
        let measure = try parseExpression()
        let (cube, filter) = try parseSourceClauses()
        _ = try expect(.by, "BY and a dimension", mentionPrevious: false)
        let by = try parseIdentifier("a dimension")
        var lastMonths: Int?
        if accept(.last) != nil {
            lastMonths = try parseCount()
            _ = try expect(.months, "MONTHS", mentionPrevious: true)
        }
        try refuseLateSourceClause(statement: "TREND", measure: measure, cube: cube, before: "BY", rest: "BY dimension [LAST n MONTHS]")
        return TrendStatement(measure: measure, cube: cube, filter: filter, by: by, lastMonths: lastMonths, range: range(from: start))
    }

    /// A period as a quoted string: `'2025-03'`, `'2025-Q1'`, `'2025'`.
    private mutating func parsePeriodLiteral() throws(SyntaxError) -> (String, SourceRange) {
        guard case let .string(text) = current.kind else {
            throw failure(expected: "a quoted period such as '2025-03'", mentionPrevious: true)
        }
        let token = advance()
        return (text, token.range)
    }
}
