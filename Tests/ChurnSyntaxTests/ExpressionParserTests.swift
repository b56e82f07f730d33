import Testing
@testable import ChurnSyntax

@Suite struct ExpressionParserTests {
    private func parse(_ text: String) throws -> Expression {
        try Parser.parseExpression(text)
    }

    @Test func orBindsLooserThanAndThanNot() throws {
        #expect(try parse("a OR b AND NOT c") == .binary(.or, .column("a"), .binary(.and, .column("b"), .not(.column("c")))))
        #expect(try parse("NOT a = 1 AND b") == .binary(.and, .not(.binary(.equal, .column("a"), .integer(1))), .column("b")))
        #expect(try parse("(a OR b) AND c") == .binary(.and, .binary(.or, .column("a"), .column("b")), .column("c")))
    }

    @Test func multiplicationBindsTighterThanAddition() throws {
        #expect(try parse("1 + 2 * 3") == .binary(.add, .integer(1), .binary(.multiply, .integer(2), .integer(3))))
        #expect(try parse("(1 + 2) * 3") == .binary(.multiply, .binary(.add, .integer(1), .integer(2)), .integer(3)))
        #expect(try parse("8 - 4 - 2") == .binary(.subtract, .binary(.subtract, .integer(8), .integer(4)), .integer(2)))
        #expect(try parse("-a * -2") == .binary(.multiply, .negate(.column("a")), .negate(.integer(2))))
    }

    @Test func parsesMeasureFormula() throws {
        let formula = try parse("(SUM(mrr_start) - SUM(churned_mrr)) / SUM(mrr_start)")
        #expect(formula == .binary(
            .divide,
            .binary(.subtract, .call("SUM", .column("mrr_start")), .call("sum", .column("churned_mrr"))),
            .call("SUM", .column("mrr_start"))))
        #expect(formula.range == SourceRange(start: 0, end: 52, line: 1, column: 1))
    }

    @Test func parsesAggregateForms() throws {
        #expect(try parse("COUNT(*)") == .countStar())
        #expect(try parse("count(DISTINCT account_id)") == .countDistinct(.column("account_id")))
        #expect(try parse("GROUPING(region)") == .call("GROUPING", .column("region")))
        #expect(try parse("coalesce(nps, 0)") == .call("COALESCE", .column("nps"), .integer(0)))
        #expect(try parse("now()") == .call("now"))
        guard case let .function(call) = try parse("Max(x)").kind else {
            Issue.record("not a call")
            return
        }
        #expect(call.isAggregate && call.name.name == "Max")
    }

    @Test func parsesPredicates() throws {
        #expect(try parse("segment IN ('smb', 'mid_market')") == .inList(.column("segment"), [.string("smb"), .string("mid_market")]))
        #expect(try parse("segment NOT IN ('smb')") == .inList(.column("segment"), [.string("smb")], negated: true))
        #expect(try parse("period BETWEEN '2025-01' AND '2025-06' AND x") == .binary(
            .and, .between(.column("period"), .string("2025-01"), .string("2025-06")), .column("x")))
        #expect(try parse("n NOT BETWEEN 1 AND 2") == .between(.column("n"), .integer(1), .integer(2), negated: true))
        #expect(try parse("country LIKE 'U%'") == .like(.column("country"), .string("U%")))
        #expect(try parse("country NOT LIKE 'U%'") == .like(.column("country"), .string("U%"), negated: true))
        #expect(try parse("nps IS NULL") == .isNull(.column("nps")))
        #expect(try parse("nps IS NOT NULL") == .isNull(.column("nps"), negated: true))
        #expect(try parse("flag = TRUE OR flag = false OR x = NULL") == .binary(
            .or,
            .binary(.or, .binary(.equal, .column("flag"), .boolean(true)), .binary(.equal, .column("flag"), .boolean(false))),
            .binary(.equal, .column("x"), .null)))
        let comparisons: [(String, BinaryOperator)] = [("=", .equal), ("<>", .notEqual), ("!=", .notEqual), ("<", .less),
                                                       ("<=", .lessOrEqual), (">", .greater), (">=", .greaterOrEqual)]
        for (symbol, op) in comparisons {
            #expect(try parse("a \(symbol) 1") == .binary(op, .column("a"), .integer(1)))
        }
    }

    @Test func parsesCase() throws {
        #expect(try parse("CASE WHEN churned = 1 THEN mrr_start ELSE 0 END") == .caseWhen(
            [(.binary(.equal, .column("churned"), .integer(1)), .column("mrr_start"))], else: .integer(0)))
        #expect(try parse("case tier when 'tier1' then 1 when 'tier2' then 2 end") == .caseWhen(
            operand: .column("tier"), [(.string("tier1"), .integer(1)), (.string("tier2"), .integer(2))]))
    }

    @Test func identifiersCompareCaseInsensitivelyAndKeepSpelling() throws {
        let parsed = try parse("\"Region\" = Region")
        #expect(parsed == .binary(.equal, .column("region"), .column("REGION")))
        guard case let .binary(_, left, right) = parsed.kind else { return }
        #expect(left.columnName?.name == "Region" && right.columnName?.name == "Region")
        #expect(try parse("\"select\"") == .column("select"))
        #expect(try parse("depth + rows") == .binary(.add, .column("depth"), .column("rows")))
    }

    @Test func rangesCoverEachNode() throws {
        let parsed = try parse("a +\n  SUM(b)")
        guard case let .binary(_, left, right) = parsed.kind else {
            Issue.record("not binary")
            return
        }
        #expect(left.range == SourceRange(start: 0, end: 1, line: 1, column: 1))
        #expect(right.range == SourceRange(start: 6, end: 12, line: 2, column: 3))
        #expect(parsed.range == SourceRange(start: 0, end: 12, line: 1, column: 1))
    }

    @Test func equalityIgnoresRanges() throws {
        let compact = try parse("SUM(x)*2")
        let spaced = try parse("  sum( x )\n * 2")
        #expect(compact == spaced)
        #expect(compact.hashValue == spaced.hashValue)
        #expect(compact.range != spaced.range)
    }

    @Test func rejectsTrailingTokens() {
        #expect(throws: SyntaxError(.unexpected("')'"), at: SourceRange(start: 5, end: 6, line: 1, column: 6))) {
            _ = try Parser.parseExpression("a + b)")
        }
    }
}
