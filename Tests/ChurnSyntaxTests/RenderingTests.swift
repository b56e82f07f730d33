import Testing
@testable import ChurnSyntax

@Suite struct RenderingTests {
    @Test func rendersCanonicalText() throws {
        let cases: [(String, String)] = [
            ("sum(churned)*1.0/count(*)", "SUM(churned) * 1.0 / COUNT(*)"),
            ("(SUM(mrr_start) - SUM(churned_mrr)) / SUM(mrr_start)", "(SUM(mrr_start) - SUM(churned_mrr)) / SUM(mrr_start)"),
            ("a - (b - c)", "a - (b - c)"),
            ("(a - b) - c", "a - b - c"),
            ("a or (b and c)", "a OR b AND c"),
            ("(a or b) and not c", "(a OR b) AND NOT c"),
            ("not (a = 1)", "NOT a = 1"),
            ("(not a) = b", "(NOT a) = b"),
            ("- (-a)", "-(-a)"),
            ("-(a + b)", "-(a + b)"),
            ("count( distinct account_id )", "COUNT(DISTINCT account_id)"),
            ("x not in ('a','b')", "x NOT IN ('a', 'b')"),
            ("x between 1 and 2", "x BETWEEN 1 AND 2"),
            ("name like 'O''Brien%'", "name LIKE 'O''Brien%'"),
            ("nps is not null", "nps IS NOT NULL"),
            ("\"weird col\" + \"select\" + \"Quoted\"", "\"weird col\" + \"select\" + Quoted"),
            ("case when a then 1 else 2 end", "CASE WHEN a THEN 1 ELSE 2 END"),
            ("2.50 * 1e3", "2.5 * 1000.0"),
            ("true and null", "TRUE AND NULL"),
        ]
        for (input, canonical) in cases {
            #expect(try Parser.parseExpression(input).description == canonical)
        }
    }

    @Test func expressionsRoundTrip() throws {
        let expressions: [Expression] = [
            .binary(.subtract, .integer(1), .binary(.subtract, .integer(2), .integer(3))),
            .binary(.multiply, .binary(.add, .column("a"), .column("b")), .negate(.negate(.column("c")))),
            .binary(.equal, .binary(.equal, .column("a"), .column("b")), .boolean(false)),
            .not(.binary(.or, .column("a"), .not(.column("b")))),
            .between(.binary(.add, .column("x"), .integer(1)), .binary(.and, .column("p"), .column("q")), .integer(3)),
            .inList(.binary(.or, .column("a"), .column("b")), [.binary(.or, .column("c"), .column("d"))], negated: true),
            .isNull(.not(.column("flag")), negated: true),
            .like(.column("country"), .binary(.add, .string("U"), .string("%"))),
            .caseWhen(operand: .column("tier"), [(.string("t1"), .decimal(0.25))], else: .null),
            .call("GROUPING", .column("region")),
            .countDistinct(.column("account_id"), .column("period")),
            .binary(.divide, .call("sum", .column("churned")), .negate(.decimal(1e-5))),
        ]
        for expression in expressions {
            #expect(try Parser.parseExpression(expression.description) == expression, "\(expression)")
        }
    }

    @Test func statementsRoundTrip() throws {
        let statements = [
            """
            select region, sum(churned) / count(*) as "Logo Churn" from subscriptions
            where segment in ('smb') and not (tier = 'tier1' or tier = 'tier2')
            group by grouping sets ((region), ()), cube(plan) having count(*) > 10
            order by 2 desc nulls first, region limit 10 offset 20
            """,
            "EXPLAIN HOTSPOTS nrr FROM s WHERE a = 1 BY * DEPTH 2 MIN SUPPORT 12.5 VERSUS expected COLD ORDER BY lift LIMIT 3",
            "DRILL logo_churn_rate TO channel = 'reseller' AND country = 'US'",
            "PIVOT avg_nps FROM s ROWS region COLUMNS \"Plan Name\"",
            "DESCRIBE", "SAVE 'out.ccube'",
        ]
        for text in statements {
            let parsed = try Parser.parseStatement(text)
            #expect(try Parser.parseStatement(parsed.description) == parsed, "\(parsed)")
        }
        #expect(try Parser.parseStatement(statements[0]).description == """
            SELECT region, SUM(churned) / COUNT(*) AS "Logo Churn" FROM subscriptions \
            WHERE segment IN ('smb') AND NOT (tier = 'tier1' OR tier = 'tier2') \
            GROUP BY GROUPING SETS((region), ()), CUBE(plan) HAVING COUNT(*) > 10 \
            ORDER BY 2 DESC NULLS FIRST, region LIMIT 10 OFFSET 20
            """)
        #expect(try Parser.parseStatement(statements[1]).description == statements[1].replacingOccurrences(of: "expected", with: "EXPECTED")
            .replacingOccurrences(of: "lift", with: "LIFT"))
    }
}
