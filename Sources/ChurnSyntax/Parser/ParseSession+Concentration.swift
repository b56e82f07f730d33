// MARK: - PARETO

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
