// MARK: - HOTSPOTS, DRILL, PIVOT

extension ParseSession {
    mutating func parseHotspots() throws(SyntaxError) -> HotspotsStatement {
        let start = try expect(.hotspots).range
        let measure = try parseExpression()
        let (cube, filter) = try parseSourceClauses()
        _ = try expect(.by, "BY and the dimensions to search", mentionPrevious: false)
        let dimensions: HotspotsStatement.Dimensions
        if accept(.star) != nil {
            dimensions = .all
        } else {
            var names = [try parseIdentifier("a dimension or '*'")]
            while accept(.comma) != nil { names.append(try parseIdentifier("a dimension")) }
            dimensions = .list(names)
        }
        var statement = HotspotsStatement(measure: measure, cube: cube, filter: filter, dimensions: dimensions)
        var seen: Set<String> = []
        while let keyword = current.keyword, let clause = Self.hotspotsClause(keyword) {
            if !seen.insert(clause).inserted {
                throw SyntaxError(.duplicateClause(clause), at: current.range)
            }
            try parseHotspotsOption(into: &statement)
        }
        try refuseLateSourceClause(statement: "HOTSPOTS", measure: measure, cube: cube, before: "BY", rest: "BY ...")
        statement.range = range(from: start)
        return statement
    }

    /// FROM or WHERE written after the clause they precede (`HOTSPOTS m BY region WHERE ...`):
    /// the error shows the order the statement takes.
    func refuseLateSourceClause(statement: String, measure: Expression, cube: Identifier?, before clause: String,
                                        rest: String) throws(SyntaxError) {
        guard let keyword = current.keyword, keyword == .where || keyword == .from else { return }
        let source = cube.map { "FROM \($0.name) " } ?? (keyword == .from ? "FROM cube " : "")
        let form = "\(statement) \(measure) \(source)WHERE ... \(rest)"
        throw SyntaxError(.misplacedClause(keyword.rawValue, before: clause, form: form), at: current.range)
    }

    /// The clause a keyword opens after `BY dims`, named for duplicate detection.
    private static func hotspotsClause(_ keyword: Keyword) -> String? {
        switch keyword {
        case .depth: return "DEPTH"
        case .min: return "MIN SUPPORT"
        case .versus: return "VERSUS"
        case .hot, .cold, .both: return "HOT/COLD/BOTH"
        case .order: return "ORDER BY"
        case .limit: return "LIMIT"
        default: return nil
        }
    }

    private mutating func parseHotspotsOption(into statement: inout HotspotsStatement) throws(SyntaxError) {
        let keyword = advance().keyword
        switch keyword {
        case .depth?:
            statement.depth = try parseCount()
        case .min?:
            _ = try expect(.support)
            switch current.kind {
            case let .integer(value): statement.minimumSupport = Double(value)
            case let .decimal(value): statement.minimumSupport = value
            default: throw failure(expected: "a number", mentionPrevious: true)
            }
            advance()
        case .versus?:
            guard let word = current.keyword?.rawValue, let baseline = HotspotsStatement.Baseline(rawValue: word) else {
                throw failure(expected: "EXPECTED, PARENT or GLOBAL", mentionPrevious: true)
            }
            advance()
            statement.baseline = baseline
        case .hot?, .cold?, .both?:
            statement.direction = HotspotsStatement.Direction(rawValue: keyword!.rawValue)
        case .order?:
            _ = try expect(.by)
            guard let word = current.keyword?.rawValue, let ranking = HotspotsStatement.Ranking(rawValue: word) else {
                throw failure(expected: "IMPACT, LIFT or SUPPORT", mentionPrevious: true)
            }
            advance()
            statement.ranking = ranking
        case .limit?:
            statement.limit = try parseCount()
        default:
            preconditionFailure("hotspotsClause admitted \(String(describing: keyword))")
        }
    }

    mutating func parseDrill() throws(SyntaxError) -> DrillStatement {
        let start = try expect(.drill).range
        let measure = try parseExpression()
        let (cube, filter) = try parseSourceClauses()
        _ = try expect(.to, "TO and the cell path", mentionPrevious: false)
        var path: [DrillStatement.Step] = []
        repeat {
            let dimension = try parseIdentifier("a dimension")
            _ = try expect(.equal, "'='", mentionPrevious: true)
            var value = try parseAdditive()
            // A member value may be a negative number; fold the sign into the literal.
            if case let .negate(operand) = value.kind {
                switch operand.kind {
                case let .integer(number): value.kind = .integer(-number)
                case let .decimal(number): value.kind = .decimal(-number)
                default: break
                }
            }
            guard value.isLiteral else {
                throw SyntaxError(.expected("a member value (a literal)", after: nil, found: "'\(value)'"), at: value.range)
            }
            path.append(DrillStatement.Step(dimension: dimension, value: value, range: range(from: dimension.range)))
        } while accept(.and) != nil
        try refuseLateSourceClause(statement: "DRILL", measure: measure, cube: cube, before: "TO", rest: "TO dimension = 'member' AND ...")
        return DrillStatement(measure: measure, cube: cube, filter: filter, path: path, range: range(from: start))
    }

    mutating func parsePivot() throws(SyntaxError) -> PivotStatement {
        let start = try expect(.pivot).range
        let measure = try parseExpression()
        let (cube, filter) = try parseSourceClauses()
        _ = try expect(.rows, "ROWS", mentionPrevious: false)
        let rows = try parseIdentifier("a dimension")
        _ = try expect(.columns, "COLUMNS", mentionPrevious: false)
        let columns = try parseIdentifier("a dimension")
        try refuseLateSourceClause(statement: "PIVOT", measure: measure, cube: cube, before: "ROWS", rest: "ROWS ... COLUMNS ...")
        return PivotStatement(measure: measure, cube: cube, filter: filter, rows: rows, columns: columns, range: range(from: start))
    }
}
