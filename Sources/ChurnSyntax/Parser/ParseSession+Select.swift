// MARK: - SELECT

extension ParseSession {
    /// Clause keywords that may follow a select item, for "did you mean" on a misspelling.
    private static let clauseKeywords: [String] = [Keyword.from, .where, .group, .compare, .having, .order, .limit, .offset].map(\.rawValue)

    mutating func parseSelect() throws(SyntaxError) -> SelectStatement {
        let start = try expect(.select).range
        var items = [try parseSelectItem()]
        while accept(.comma) != nil { items.append(try parseSelectItem()) }

        let (cube, filter) = try parseSourceClauses()
        var groupBy: [GroupingElement] = []
        if accept(.group) != nil {
            _ = try expect(.by)
            repeat { groupBy.append(try parseGroupingElement()) } while accept(.comma) != nil
        }
        var comparison: PeriodComparison?
        if accept(.compare) != nil {
            let before = try parseExpression()
            _ = try expect(.to, "TO and the second condition", mentionPrevious: false)
            comparison = PeriodComparison(before: before, after: try parseExpression())
        }
        let having = accept(.having) != nil ? try parseExpression() : nil
        var orderBy: [OrderItem] = []
        if accept(.order) != nil {
            _ = try expect(.by)
            repeat { orderBy.append(try parseOrderItem()) } while accept(.comma) != nil
        }
        let limit = accept(.limit) != nil ? try parseCount() : nil
        let offset = accept(.offset) != nil ? try parseCount() : nil
        return SelectStatement(
            items: items, cube: cube, filter: filter, groupBy: groupBy, comparison: comparison, having: having,
            orderBy: orderBy, limit: limit, offset: offset, range: range(from: start))
    }

    private mutating func parseSelectItem() throws(SyntaxError) -> SelectItem {
        if let star = accept(.star) {
            try expectSelectItemEnd(bareAlias: nil)
            return SelectItem(.wildcard, range: star.range)
        }
        let expression = try parseExpression()
        var alias: Identifier?
        var bareAlias: Token?
        if accept(.as) != nil {
            alias = try parseIdentifier("an alias")
        } else if atIdentifier {
            bareAlias = current
            alias = try parseIdentifier("an alias")
        }
        try expectSelectItemEnd(bareAlias: bareAlias)
        return SelectItem(.expression(expression, alias: alias), range: range(from: expression.range))
    }

    /// After a select item only `,`, a clause keyword or the end may follow. When a bare
    /// alias is followed by another name (`SELECT a FORM x`), the alias was most likely a
    /// misspelled keyword, so the error points at it.
    private func expectSelectItemEnd(bareAlias: Token?) throws(SyntaxError) {
        switch current.kind {
        case .comma, .semicolon, .rightParen, .end:
            return
        case .word where current.keyword?.isReserved == true:
            return
        default:
            break
        }
        guard let bareAlias else {
            throw failure(expected: "',' or FROM")
        }
        let hint = closestMatch(to: bareAlias.text, among: Self.clauseKeywords).map { "did you mean \($0)?" }
        throw SyntaxError(.expected("',' or FROM", after: nil, found: bareAlias.quotedText), at: bareAlias.range, hint: hint)
    }

    // MARK: - GROUP BY

    private mutating func parseGroupingElement() throws(SyntaxError) -> GroupingElement {
        let start = current.range
        if (check(.rollup) || check(.cube)), peek().kind == .leftParen {
            let isRollup = advance().keyword == .rollup
            let items = try parseParenthesizedList(allowEmpty: false)
            return GroupingElement(isRollup ? .rollup(items) : .cube(items), range: range(from: start))
        }
        if check(.grouping), peek().keyword == .sets {
            advance()
            advance()
            _ = try expect(.leftParen, "'(' after GROUPING SETS")
            var sets: [[Expression]] = []
            repeat {
                if current.kind == .leftParen {
                    sets.append(try parseParenthesizedList(allowEmpty: true))
                } else {
                    sets.append([try parseExpression()])
                }
            } while accept(.comma) != nil
            _ = try expect(.rightParen, "',' or ')' in GROUPING SETS")
            return GroupingElement(.groupingSets(sets), range: range(from: start))
        }
        let expression = try parseExpression()
        return GroupingElement(.expression(expression), range: expression.range)
    }

    /// `( expr, ... )`, the current token being `(`.
    private mutating func parseParenthesizedList(allowEmpty: Bool) throws(SyntaxError) -> [Expression] {
        _ = try expect(.leftParen, "'('", mentionPrevious: true)
        if allowEmpty, accept(.rightParen) != nil { return [] }
        var items = [try parseExpression()]
        while accept(.comma) != nil { items.append(try parseExpression()) }
        _ = try expect(.rightParen, "',' or ')'")
        return items
    }

    // MARK: - ORDER BY

    mutating func parseOrderItem() throws(SyntaxError) -> OrderItem {
        let expression = try parseExpression()
        var direction = OrderItem.Direction.ascending
        if accept(.desc) != nil {
            direction = .descending
        } else {
            _ = accept(.asc)
        }
        var nulls: OrderItem.NullPlacement?
        if accept(.nulls) != nil {
            if accept(.first) != nil {
                nulls = .first
            } else if accept(.last) != nil {
                nulls = .last
            } else {
                throw failure(expected: "FIRST or LAST", mentionPrevious: true)
            }
        }
        return OrderItem(expression, direction: direction, nulls: nulls, range: range(from: expression.range))
    }
}
