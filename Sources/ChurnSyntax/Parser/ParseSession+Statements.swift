// MARK: - Statements

extension ParseSession {
    mutating func parseStatement() throws(SyntaxError) -> Statement {
        let start = current.range
        switch current.keyword {
        case .select?:
            return Statement(.select(try parseSelect()), range: range(from: start))
        case .explain?:
            try enterNesting(at: advance().range)
            defer { leaveNesting() }
            if current.kind == .end { throw failure(expected: "a statement", mentionPrevious: true) }
            let inner = try parseStatement()
            return Statement(.explain(inner), range: range(from: start))
        case .describe?:
            advance()
            let name = atIdentifier ? try parseIdentifier("a cube name") : nil
            return Statement(.describe(name), range: range(from: start))
        case .save?:
            advance()
            guard case let .string(path) = current.kind else {
                throw failure(expected: "a quoted path", mentionPrevious: true)
            }
            advance()
            return Statement(.save(path: path), range: range(from: start))
        case .hotspots?:
            return Statement(.hotspots(try parseHotspots()), range: range(from: start))
        case .drill?:
            return Statement(.drill(try parseDrill()), range: range(from: start))
        case .pivot?:
            return Statement(.pivot(try parsePivot()), range: range(from: start))
        case .cohort?:
            return Statement(.cohort(try parseCohort()), range: range(from: start))
        case .why?:
            return Statement(.why(try parseWhy()), range: range(from: start))
        case .trend?:
            return Statement(.trend(try parseTrend()), range: range(from: start))
        case .pareto?:
            return Statement(.pareto(try parsePareto()), range: range(from: start))
        case .backtest?:
            return Statement(.backtest(try parseBacktest()), range: range(from: start))
        case .health?:
            return Statement(.health(try parseHealth()), range: range(from: start))
        case .alerts?:
            return Statement(.alerts(try parseAlerts()), range: range(from: start))
        default:
            let starts = Keyword.statementStarts.map(\.rawValue)
            var hint: String?
            if case let .word(spelling) = current.kind, let guess = closestMatch(to: spelling, among: starts) {
                hint = "did you mean \(guess)?"
            }
            throw failure(expected: "a statement (\(starts.joined(separator: ", ")))", hint: hint)
        }
    }

    /// `[FROM cube] [WHERE filter]`, shared by every statement that reads a cube.
    mutating func parseSourceClauses() throws(SyntaxError) -> (cube: Identifier?, filter: Expression?) {
        let cube = accept(.from) != nil ? try parseIdentifier("a cube name") : nil
        let filter = accept(.where) != nil ? try parseExpression() : nil
        return (cube, filter)
    }
}
