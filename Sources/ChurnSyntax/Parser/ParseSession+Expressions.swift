// MARK: - Expressions, loosest to tightest: OR, AND, NOT, predicates, + -, * /, unary -, primary

extension ParseSession {
    mutating func parseExpression() throws(SyntaxError) -> Expression {
        try parseOperators(above: 0)
    }

    /// Arithmetic only: no comparison, predicate or logic (BETWEEN bounds, DRILL member values).
    mutating func parseAdditive() throws(SyntaxError) -> Expression {
        try parseOperators(above: Self.predicateLevel)
    }

    /// The precedence of comparisons and of IN, BETWEEN, LIKE and IS.
    private static let predicateLevel = 4
    /// NOT's precedence: its operand is a predicate.
    private static let notLevel = 3
    /// How tightly a primary expression or unary minus binds.
    private static let operandLevel = 7

    /// Operands joined by operators binding tighter than `minimum`, by precedence climbing:
    /// a run of one precedence (`a AND b AND c`, `x + y - z`) is a loop building a left-nested
    /// tree, so only parentheses, calls, CASE, NOT and unary minus cost recursion.
    ///
    /// A comparison, predicate or NOT yields a truth value that only AND and OR may take
    /// further: `a = b = c`, `a IN (1) + 2` and `NOT a = b = c` stay errors.
    private mutating func parseOperators(above minimum: Int) throws(SyntaxError) -> Expression {
        var (left, level) = try parseOperand(above: minimum)
        while true {
            if level > Self.predicateLevel, minimum < Self.predicateLevel, let predicate = try parsePredicate(on: left) {
                left = predicate
                level = Self.predicateLevel
                continue
            }
            guard let op = binaryOperator(at: current), op.precedence > minimum,
                  level > Self.predicateLevel || op.precedence < Self.notLevel else { return left }
            advance()
            let right = try parseOperators(above: op.precedence)
            left = Expression(.binary(op, left, right), range: left.range.through(right.range))
            level = op.precedence
        }
    }

    /// A NOT and its predicate, or a primary with its unary minuses, and how tightly it binds.
    private mutating func parseOperand(above minimum: Int) throws(SyntaxError) -> (Expression, level: Int) {
        var prefixes: [SourceRange] = []
        defer { leaveNesting(prefixes.count) }
        if minimum < Self.notLevel, check(.not) {
            while let not = accept(.not) {
                try enterNesting(at: not.range)
                prefixes.append(not.range)
            }
            var operand = try parseOperators(above: Self.notLevel)
            for not in prefixes.reversed() {
                operand = Expression(.not(operand), range: not.through(operand.range))
            }
            return (operand, Self.notLevel)
        }
        while let minus = accept(.minus) {
            try enterNesting(at: minus.range)
            prefixes.append(minus.range)
        }
        var operand: Expression
        if let open = accept(.leftParen) {
            try enterNesting(at: open.range)
            defer { leaveNesting() }
            operand = try parseExpression()
            _ = try expect(.rightParen, "')'")
            operand.range = range(from: open.range)
        } else {
            operand = try parsePrimary()
        }
        for minus in prefixes.reversed() {
            operand = Expression(.negate(operand), range: minus.through(operand.range))
        }
        return (operand, Self.operandLevel)
    }

    private func binaryOperator(at token: Token) -> BinaryOperator? {
        switch token.kind {
        case .plus: return .add
        case .minus: return .subtract
        case .star: return .multiply
        case .slash: return .divide
        case .equal: return .equal
        case .notEqual: return .notEqual
        case .less: return .less
        case .lessOrEqual: return .lessOrEqual
        case .greater: return .greater
        case .greaterOrEqual: return .greaterOrEqual
        case .word:
            switch token.keyword {
            case .and?: return .and
            case .or?: return .or
            default: return nil
            }
        default: return nil
        }
    }

    /// `[NOT] IN (...)`, `[NOT] BETWEEN a AND b`, `[NOT] LIKE p` or `IS [NOT] NULL` after
    /// `subject`; nil when none follows.
    private mutating func parsePredicate(on subject: Expression) throws(SyntaxError) -> Expression? {
        var negated = false
        if check(.not), [.in, .between, .like].contains(peek().keyword) {
            advance()
            negated = true
        }
        if accept(.in) != nil {
            try enterNesting(at: try expect(.leftParen, "'(' to start the IN list", mentionPrevious: true).range)
            defer { leaveNesting() }
            var items = [try parseExpression()]
            while accept(.comma) != nil { items.append(try parseExpression()) }
            _ = try expect(.rightParen, "',' or ')' in the IN list")
            return Expression(.inList(subject, items, negated: negated), range: range(from: subject.range))
        }
        if accept(.between) != nil {
            let lower = try parseAdditive()
            _ = try expect(.and, "AND between the BETWEEN bounds", mentionPrevious: false)
            let upper = try parseAdditive()
            return Expression(.between(subject, lower: lower, upper: upper, negated: negated), range: range(from: subject.range))
        }
        if accept(.like) != nil {
            let pattern = try parseAdditive()
            return Expression(.like(subject, pattern: pattern, negated: negated), range: range(from: subject.range))
        }
        if accept(.is) != nil {
            let isNegated = accept(.not) != nil
            _ = try expect(.null, "NULL")
            return Expression(.isNull(subject, negated: isNegated), range: range(from: subject.range))
        }
        return nil
    }

    // MARK: - Primary

    private mutating func parsePrimary() throws(SyntaxError) -> Expression {
        let token = current
        switch token.kind {
        case let .integer(value):
            advance()
            return Expression(.integer(value), range: token.range)
        case let .decimal(value):
            advance()
            return Expression(.decimal(value), range: token.range)
        case let .string(value):
            advance()
            return Expression(.string(value), range: token.range)
        case let .quotedIdentifier(name):
            advance()
            if peekIsCall() { return try parseCall(Identifier(name, range: token.range)) }
            return Expression(.column(Identifier(name, range: token.range)), range: token.range)
        case let .word(name):
            switch token.keyword {
            case .true?, .false?:
                advance()
                return Expression(.boolean(token.keyword == .true), range: token.range)
            case .null?:
                advance()
                return Expression(.null, range: token.range)
            case .case?:
                return try parseCase()
            case let keyword? where keyword.isReserved:
                throw failure(expected: "an expression", mentionPrevious: index > 0)
            default:
                advance()
                if peekIsCall() { return try parseCall(Identifier(name, range: token.range)) }
                return Expression(.column(Identifier(name, range: token.range)), range: token.range)
            }
        default:
            throw failure(expected: "an expression", mentionPrevious: index > 0)
        }
    }

    private func peekIsCall() -> Bool { current.kind == .leftParen }

    /// A call whose name has been consumed; the current token is `(`.
    private mutating func parseCall(_ name: Identifier) throws(SyntaxError) -> Expression {
        try enterNesting(at: name.range.through(advance().range))
        defer { leaveNesting() }
        let arguments: FunctionCall.Arguments
        if accept(.star) != nil {
            arguments = .star
        } else if accept(.distinct) != nil {
            arguments = .distinct(try parseArguments())
        } else if current.kind == .rightParen {
            arguments = .list([])
        } else {
            arguments = .list(try parseArguments())
        }
        _ = try expect(.rightParen, "',' or ')' after the arguments of \(name.name.uppercased())")
        return Expression(.function(FunctionCall(name: name, arguments: arguments)), range: range(from: name.range))
    }

    private mutating func parseArguments() throws(SyntaxError) -> [Expression] {
        var items = [try parseExpression()]
        while accept(.comma) != nil { items.append(try parseExpression()) }
        return items
    }

    private mutating func parseCase() throws(SyntaxError) -> Expression {
        let start = advance().range
        try enterNesting(at: start)
        defer { leaveNesting() }
        let operand = check(.when) ? nil : try parseExpression()
        var branches: [CaseExpression.Branch] = []
        repeat {
            _ = try expect(.when, branches.isEmpty ? "WHEN" : "WHEN, ELSE or END", mentionPrevious: false)
            let condition = try parseExpression()
            _ = try expect(.then, "THEN", mentionPrevious: false)
            let result = try parseExpression()
            branches.append(CaseExpression.Branch(condition: condition, result: result))
        } while check(.when)
        let elseResult = accept(.else) != nil ? try parseExpression() : nil
        _ = try expect(Keyword.end, elseResult == nil ? "WHEN, ELSE or END" : "END", mentionPrevious: false)
        let caseExpression = CaseExpression(operand: operand, branches: branches, elseResult: elseResult)
        return Expression(.caseWhen(caseExpression), range: range(from: start))
    }
}
