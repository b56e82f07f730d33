// MARK: - Expressions, loosest to tightest: OR, AND, NOT, predicates, + -, * /, unary -, primary

extension ParseSession {
    mutating func parseExpression() throws(SyntaxError) -> Expression {
        try parseOr()
    }

    private mutating func parseOr() throws(SyntaxError) -> Expression {
        var left = try parseAnd()
        while accept(.or) != nil {
            let right = try parseAnd()
            left = Expression(.binary(.or, left, right), range: left.range.through(right.range))
        }
        return left
    }

    private mutating func parseAnd() throws(SyntaxError) -> Expression {
        var left = try parseNot()
        while accept(.and) != nil {
            let right = try parseNot()
            left = Expression(.binary(.and, left, right), range: left.range.through(right.range))
        }
        return left
    }

    private mutating func parseNot() throws(SyntaxError) -> Expression {
        if let not = accept(.not) {
            let operand = try parseNot()
            return Expression(.not(operand), range: not.range.through(operand.range))
        }
        return try parsePredicate()
    }

    private mutating func parsePredicate() throws(SyntaxError) -> Expression {
        let subject = try parseAdditive()
        if let op = comparisonOperator(current.kind) {
            advance()
            let right = try parseAdditive()
            return Expression(.binary(op, subject, right), range: subject.range.through(right.range))
        }
        var negated = false
        if check(.not), [.in, .between, .like].contains(peek().keyword) {
            advance()
            negated = true
        }
        if accept(.in) != nil {
            _ = try expect(.leftParen, "'(' to start the IN list", mentionPrevious: true)
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
        return subject
    }

    private func comparisonOperator(_ kind: Token.Kind) -> BinaryOperator? {
        switch kind {
        case .equal: return .equal
        case .notEqual: return .notEqual
        case .less: return .less
        case .lessOrEqual: return .lessOrEqual
        case .greater: return .greater
        case .greaterOrEqual: return .greaterOrEqual
        default: return nil
        }
    }

    mutating func parseAdditive() throws(SyntaxError) -> Expression {
        var left = try parseMultiplicative()
        while true {
            let op: BinaryOperator
            switch current.kind {
            case .plus: op = .add
            case .minus: op = .subtract
            default: return left
            }
            advance()
            let right = try parseMultiplicative()
            left = Expression(.binary(op, left, right), range: left.range.through(right.range))
        }
    }

    private mutating func parseMultiplicative() throws(SyntaxError) -> Expression {
        var left = try parseUnary()
        while true {
            let op: BinaryOperator
            switch current.kind {
            case .star: op = .multiply
            case .slash: op = .divide
            default: return left
            }
            advance()
            let right = try parseUnary()
            left = Expression(.binary(op, left, right), range: left.range.through(right.range))
        }
    }

    private mutating func parseUnary() throws(SyntaxError) -> Expression {
        if let minus = accept(.minus) {
            let operand = try parseUnary()
            return Expression(.negate(operand), range: minus.range.through(operand.range))
        }
        return try parsePrimary()
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
        case .leftParen:
            advance()
            var inner = try parseExpression()
            _ = try expect(.rightParen, "')'")
            inner.range = range(from: token.range)
            return inner
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
        advance()
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
