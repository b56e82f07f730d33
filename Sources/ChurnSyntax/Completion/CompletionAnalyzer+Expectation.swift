// MARK: - What may come next

extension CompletionAnalyzer {
    /// Words that begin a statement.
    static var statementStarts: [String] { Keyword.statementStarts.map(\.rawValue) }

    /// The clauses of each statement, in the order they are written.
    private static let selectClauses: [Keyword] = [.from, .where, .group, .compare, .having, .order, .limit, .offset]
    private static let hotspotsOptions: [Keyword] = [.depth, .min, .versus, .hot, .cold, .both, .order, .limit]

    /// Keywords that continue a condition once one is complete.
    private static let conditionJoins = ["AND", "OR"]
    /// Keywords that turn a column into a condition.
    private static let predicateWords = ["IN", "NOT", "BETWEEN", "LIKE", "IS"]

    /// What may follow `tokens`, the current statement before the partial word.
    static func expectation(after tokens: [Token]) -> CompletionContext.Expectation {
        var body = tokens[...]
        if body.first?.keyword == .explain {
            body = body.dropFirst()
            if body.isEmpty { return .keywords(["SELECT", "HOTSPOTS"]) }
        }
        guard let first = body.first else { return .keywords(statementStarts) }
        let statement = Statement(tokens: Array(body))
        switch first.keyword {
        case .select?: return statement.select()
        case .hotspots?: return statement.hotspots()
        case .drill?: return statement.drill()
        case .pivot?: return statement.pivot()
        case .cohort?: return statement.cohort()
        case .why?: return statement.why()
        case .trend?: return statement.trend()
        case .pareto?: return statement.pareto()
        case .backtest?: return statement.backtest()
        case .health?: return statement.health()
        case .alerts?: return statement.alerts()
        case .describe?: return body.count == 1 ? .cubeName : .keywords([])
        case .save?: return .freeText
        default: return .keywords([])
        }
    }

    /// One statement's tokens before the cursor, with the clause the cursor is in.
    private struct Statement {
        let tokens: [Token]
        /// The last clause keyword outside parentheses, and its index.
        let clause: Keyword?
        let clauseIndex: Int
        /// Parentheses open at the cursor, innermost last: the index of each `(`.
        let openParens: [Int]

        init(tokens: [Token]) {
            self.tokens = tokens
            var clause: Keyword?
            var clauseIndex = 0
            var open: [Int] = []
            let statement = tokens.first?.keyword
            for (index, token) in tokens.enumerated() {
                switch token.kind {
                case .leftParen: open.append(index)
                case .rightParen: _ = open.popLast()
                default:
                    guard open.isEmpty, let keyword = token.keyword else { continue }
                    if Self.opensClause(keyword, in: statement, after: index > 0 ? tokens[index - 1].keyword : nil) {
                        clause = keyword
                        clauseIndex = index
                    }
                }
            }
            self.clause = clause
            self.clauseIndex = clauseIndex
            openParens = open
        }

        /// Whether `keyword` starts a clause of the statement (BY after GROUP or ORDER belongs to them).
        private static func opensClause(_ keyword: Keyword, in statement: Keyword?, after previous: Keyword?) -> Bool {
            switch keyword {
            case .select, .hotspots, .drill, .pivot, .from, .where, .group, .having, .order, .limit, .offset,
                 .to, .rows, .columns, .depth, .min, .versus, .hot, .cold, .both, .compare, .changed, .months:
                return true
            case .cohort, .why, .trend, .pareto, .backtest, .horizon, .health, .alerts:
                // Statement words; `cohort` elsewhere is a name.
                return previous == nil
            case .by:
                return previous != .group && previous != .order
            default:
                return false
            }
        }

        var last: Token { tokens[tokens.count - 1] }
        var previous: Token? { tokens.count >= 2 ? tokens[tokens.count - 2] : nil }
        /// Tokens after the clause keyword.
        var clauseTokens: ArraySlice<Token> { tokens[(clauseIndex + 1)...] }

        /// True when the last token ends an operand or an option: a name, a literal, `)`, NULL,
        /// END, a HOTSPOTS option value (`EXPECTED`, `HOT`, `ORDER BY SUPPORT`).
        var endsOperand: Bool {
            switch last.kind {
            case .quotedIdentifier, .string, .integer, .decimal, .rightParen: return true
            case .word:
                guard let keyword = last.keyword else { return true }
                if keyword == .support { return previous?.keyword == .by }
                return Keyword.valueWords.contains(keyword) || !keyword.isReserved && !Keyword.clauseWords.contains(keyword)
            default: return false
            }
        }

        /// True when the last token is a bare name (a column, dimension or measure).
        var endsInName: Bool {
            switch last.kind {
            case .quotedIdentifier: return true
            case .word: return last.keyword.map { !$0.isReserved && !Keyword.clauseWords.contains($0) } ?? true
            default: return false
            }
        }

        // MARK: SELECT

        func select() -> CompletionContext.Expectation {
            if let generic = punctuationOrKeyword() { return generic }
            guard endsOperand else { return .keywords([]) }
            // The clauses written after `clause`, which may follow it.
            func later(_ clause: Keyword) -> [String] {
                let clauses = CompletionAnalyzer.selectClauses
                let next = clauses.firstIndex(of: clause).map { $0 + 1 } ?? 0
                // COMPARE follows a GROUP BY.
                return clauses[next...].filter { $0 != .compare || clause == .group }.map(\.rawValue)
            }
            switch clause {
            case .select?:
                if !openParens.isEmpty { return .keywords([]) }
                return .keywords(["AS"] + later(.select))
            case .from?:
                return .keywords(later(.from))
            case .where?:
                return condition(then: later(.where))
            case .group?:
                return .keywords(later(.group))
            case .compare?, .to?:
                return condition(then: clause == .to ? later(.compare) : ["TO"])
            case .having?:
                return condition(then: later(.having))
            case .order?:
                return .keywords(["ASC", "DESC", "NULLS", "LIMIT", "OFFSET"])
            case .limit?:
                return .keywords(["OFFSET"])
            default:
                return .keywords([])
            }
        }

        // MARK: HOTSPOTS, DRILL, PIVOT

        func hotspots() -> CompletionContext.Expectation {
            if last.kind == .star, clause == .by { return .keywords(remainingHotspotsOptions) }
            if let generic = punctuationOrKeyword() { return generic }
            guard endsOperand else { return .keywords([]) }
            switch clause {
            case .hotspots?: return .keywords(["FROM", "WHERE", "BY"])
            case .from?: return .keywords(["WHERE", "BY"])
            case .where?: return condition(then: ["BY"])
            default: return .keywords(remainingHotspotsOptions)
            }
        }

        /// HOTSPOTS options not yet written.
        private var remainingHotspotsOptions: [String] {
            let used = Set(tokens.compactMap(\.keyword))
            let directionUsed = used.contains(.hot) || used.contains(.cold) || used.contains(.both)
            return CompletionAnalyzer.hotspotsOptions.filter { option in
                if [.hot, .cold, .both].contains(option) { return !directionUsed }
                return !used.contains(option)
            }.map(\.rawValue)
        }

        func drill() -> CompletionContext.Expectation {
            if let generic = punctuationOrKeyword() { return generic }
            guard endsOperand else { return .keywords([]) }
            switch clause {
            case .drill?: return .keywords(["FROM", "WHERE", "TO"])
            case .from?: return .keywords(["WHERE", "TO"])
            case .where?: return condition(then: ["TO"])
            case .to?: return endsInName ? .keywords([]) : .keywords(["AND"])
            default: return .keywords([])
            }
        }

        func pivot() -> CompletionContext.Expectation {
            if let generic = punctuationOrKeyword() { return generic }
            guard endsOperand else { return .keywords([]) }
            switch clause {
            case .pivot?: return .keywords(["FROM", "WHERE", "ROWS"])
            case .from?: return .keywords(["WHERE", "ROWS"])
            case .where?: return condition(then: ["ROWS"])
            case .rows?: return .keywords(["COLUMNS"])
            default: return .keywords([])
            }
        }

        // MARK: COHORT, WHY, TREND

        func cohort() -> CompletionContext.Expectation {
            if let generic = punctuationOrKeyword() { return generic }
            guard endsOperand else { return .keywords([]) }
            let used = Set(tokens.dropFirst().compactMap(\.keyword))
            let options = ["BY", "MONTHS"].filter { !used.contains(Keyword(rawValue: $0)!) }
            switch clause {
            case .cohort?: return .keywords(["FROM", "WHERE"] + options)
            case .from?: return .keywords(["WHERE"] + options)
            case .where?: return condition(then: options)
            case .by?, .months?: return .keywords(options)
            default: return .keywords([])
            }
        }

        func why() -> CompletionContext.Expectation {
            if let generic = punctuationOrKeyword() { return generic }
            guard endsOperand else { return .keywords([]) }
            let used = Set(tokens.dropFirst().compactMap(\.keyword))
            let options = ["BY", "DEPTH", "LIMIT"].filter { !used.contains(Keyword(rawValue: $0)!) }
            switch clause {
            case .why?: return .keywords(["FROM", "WHERE", "CHANGED"])
            case .from? where !used.contains(.changed): return .keywords(["WHERE", "CHANGED"])
            case .from?: return .keywords(["TO"])
            case .where?: return condition(then: ["CHANGED"])
            case .to?, .by?, .depth?, .limit?: return .keywords(options)
            default: return .keywords([])
            }
        }

        func trend() -> CompletionContext.Expectation {
            if let generic = punctuationOrKeyword() { return generic }
            guard endsOperand else { return .keywords([]) }
            switch clause {
            case .trend?: return .keywords(["FROM", "WHERE", "BY"])
            case .from?: return .keywords(["WHERE", "BY"])
            case .where?: return condition(then: ["BY"])
            case .by?: return .keywords(["LAST"])
            default: return .keywords([])
            }
        }

        func pareto() -> CompletionContext.Expectation {
            if let generic = punctuationOrKeyword() { return generic }
            guard endsOperand else { return .keywords([]) }
            switch clause {
            case .pareto?: return .keywords(["FROM", "WHERE", "BY"])
            case .from?: return .keywords(["WHERE", "BY"])
            case .where?: return condition(then: ["BY"])
            default: return .keywords([])
            }
        }

        func backtest() -> CompletionContext.Expectation {
            if let generic = punctuationOrKeyword() { return generic }
            guard endsOperand else { return .keywords([]) }
            switch clause {
            case .backtest?: return tokens.count == 1 ? .rule(keywords: ["WHEN"]) : condition(then: ["HORIZON", "FROM", "WHERE", "BY"])
            case .horizon?: return .keywords(["FROM", "WHERE", "BY"])
            case .from?: return .keywords(["WHERE", "BY"])
            case .where?: return condition(then: ["BY"])
            default: return .keywords([])
            }
        }

        func health() -> CompletionContext.Expectation {
            if let generic = punctuationOrKeyword() { return generic }
            guard endsOperand else { return .keywords([]) }
            switch clause {
            case .health?: return .keywords(["HORIZON", "FROM", "WHERE"])
            case .horizon?: return .keywords(["FROM", "WHERE"])
            case .from?: return .keywords(["WHERE"])
            case .where?: return condition(then: [])
            default: return .keywords([])
            }
        }

        func alerts() -> CompletionContext.Expectation {
            if let generic = punctuationOrKeyword() { return generic }
            guard endsOperand else { return .keywords([]) }
            switch clause {
            case .alerts?:
                return tokens.count == 1 ? .rule(keywords: ["WHEN", "AS", "FROM", "WHERE", "ORDER", "LIMIT"])
                    : condition(then: ["AS", "FROM", "WHERE", "ORDER", "LIMIT"])
            case .from?: return .keywords(["WHERE", "ORDER", "LIMIT"])
            case .where?: return condition(then: ["ORDER", "LIMIT"])
            case .order?: return .keywords(["ASC", "DESC", "LIMIT"])
            default: return .keywords([])
            }
        }

        // MARK: Shared

        /// After a complete operand in WHERE or HAVING: a predicate word after a bare column, AND
        /// inside BETWEEN, else AND, OR and the clauses that may follow.
        private func condition(then following: [String]) -> CompletionContext.Expectation {
            if previous?.keyword == .between { return .keywords(["AND"]) }
            if endsInName { return .keywords(CompletionAnalyzer.predicateWords) }
            return .keywords(CompletionAnalyzer.conditionJoins + following)
        }

        /// What follows punctuation, operators and keywords, the same in every statement; nil after
        /// a complete operand, which each statement answers from its clause.
        private func punctuationOrKeyword() -> CompletionContext.Expectation? {
            let statement = tokens.first?.keyword
            switch last.kind {
            case .comma:
                if let dimension = CompletionAnalyzer.inListDimension(tokens) { return .memberValue(dimension: dimension) }
                if clause == .group { return .groupable(groupingKeywords: openParens.isEmpty) }
                if clause == .by && statement == .hotspots { return .groupable(groupingKeywords: false) }
                return .column
            case .leftParen:
                if let dimension = CompletionAnalyzer.inListDimension(tokens) { return .memberValue(dimension: dimension) }
                if clause == .group { return .groupable(groupingKeywords: false) }
                return .column
            case .equal, .notEqual, .less, .lessOrEqual, .greater, .greaterOrEqual:
                if let dimension = CompletionAnalyzer.name(of: previous) { return .memberValue(dimension: dimension) }
                return .column
            case .star:
                // `SELECT *` and `COUNT(*` are complete; otherwise `*` multiplies.
                if previous == nil || previous?.keyword == .select || previous?.kind == .comma {
                    return .keywords(["FROM", "WHERE", "ORDER", "LIMIT", "OFFSET"])
                }
                if previous?.kind == .leftParen { return .keywords([]) }
                return .column
            case .plus, .minus, .slash:
                return .column
            case .word:
                guard let keyword = last.keyword, keyword.isReserved || Keyword.clauseWords.contains(keyword) else { return nil }
                return after(keyword, in: statement)
            default:
                return nil
            }
        }

        private func after(_ keyword: Keyword, in statement: Keyword?) -> CompletionContext.Expectation? {
            switch keyword {
            case .from, .describe: return .cubeName
            case .group, .order: return .keywords(["BY"])
            case .by:
                switch previous?.keyword {
                case .group?: return .groupable(groupingKeywords: true)
                case .order?: return statement == .hotspots ? .keywords(["IMPACT", "LIFT", "SUPPORT"]) : .column
                default: return .groupable(groupingKeywords: false)
                }
            case .hotspots, .why, .trend: return .ratioMeasure
            case .cohort, .pareto: return .measure
            case .health: return .dimension
            case .changed: return .keywords(["FROM"])
            case .compare: return .column
            case .months: return .keywords([])
            case .drill, .pivot: return .measure
            case .to: return statement == .why ? .freeText : (clause == .compare || tokens.contains { $0.keyword == .compare } ? .column : .dimension)
            case .rows, .columns: return .dimension
            case .and:
                if let dimension = CompletionAnalyzer.betweenDimension(before: tokens.dropLast()) { return .memberValue(dimension: dimension) }
                return clause == .to ? .dimension : .column
            case .between, .like:
                if let dimension = CompletionAnalyzer.name(of: previous) { return .memberValue(dimension: dimension) }
                return .column
            case .is: return .keywords(["NOT", "NULL"])
            case .not:
                if previous?.keyword == .is { return .keywords(["NULL"]) }
                if let previous, previous.kind != .comma, CompletionAnalyzer.name(of: previous) != nil {
                    return .keywords(["IN", "BETWEEN", "LIKE"])
                }
                return .column
            case .in: return .keywords([])
            case .nulls: return .keywords(["FIRST", "LAST"])
            case .asc, .desc: return .keywords(["NULLS", "LIMIT", "OFFSET"])
            case .first, .last: return statement == .trend ? .freeText : .keywords(["LIMIT", "OFFSET"])
            case .grouping: return clause == .group ? .keywords(["SETS"]) : .keywords([])
            case .rollup, .cube, .sets: return .keywords([])
            case .min: return statement == .hotspots ? .keywords(["SUPPORT"]) : .keywords([])
            case .versus: return .keywords(["EXPECTED", "PARENT", "GLOBAL"])
            case .as, .limit, .offset, .depth, .support, .save:
                if keyword == .support, tokens.dropLast().last?.keyword == .by { return nil }
                return .freeText
            default:
                // SELECT, WHERE, OR, HAVING, CASE, WHEN, THEN, ELSE, DISTINCT: an expression.
                return Keyword.valueWords.contains(keyword) ? nil : .column
            }
        }
    }

    // MARK: - Names before the cursor

    /// The name a token spells if it can be a dimension reference.
    static func name(of token: Token?) -> String? {
        guard let token else { return nil }
        switch token.kind {
        case let .quotedIdentifier(name): return name
        case let .word(name) where !(token.keyword?.isReserved ?? false): return name
        default: return nil
        }
    }

    /// For `dim BETWEEN low AND`, the dimension.
    static func betweenDimension(before tokens: ArraySlice<Token>) -> String? {
        let window = Array(tokens.suffix(3))
        guard window.count == 3, window[1].keyword == .between else { return nil }
        return name(of: window[0])
    }

    /// When the cursor is inside `dim [NOT] IN ( ...`, the dimension.
    static func inListDimension(_ tokens: [Token]) -> String? {
        var depth = 0
        for index in tokens.indices.reversed() {
            switch tokens[index].kind {
            case .rightParen:
                depth += 1
            case .leftParen:
                if depth > 0 {
                    depth -= 1
                    continue
                }
                guard index >= 2, tokens[index - 1].keyword == .in else { return nil }
                let subject = tokens[index - 2].keyword == .not && index >= 3 ? tokens[index - 3] : tokens[index - 2]
                return name(of: subject)
            case .word where tokens[index].keyword?.isReserved == true && depth == 0:
                if tokens[index].keyword == .in { continue }
                return nil
            default:
                continue
            }
        }
        return nil
    }
}

extension Keyword {
    /// Contextual keywords that open or fill a clause, never read as names by completion.
    static let clauseWords: Set<Keyword> = [
        .rollup, .cube, .grouping, .sets, .explain, .describe, .save, .hotspots, .drill, .pivot, .to, .rows, .columns,
        .depth, .min, .support, .versus, .nulls, .first, .last, .compare, .changed, .months,
    ]

    /// Keywords that are values or option values: after them comes what follows an operand.
    static let valueWords: Set<Keyword> = [.null, .true, .false, .end, .expected, .parent, .global, .hot, .cold, .both, .impact, .lift]
}
