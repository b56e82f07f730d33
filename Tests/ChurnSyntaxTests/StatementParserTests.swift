import Testing
@testable import ChurnSyntax

@Suite struct StatementParserTests {
    private func select(_ text: String) throws -> SelectStatement {
        guard case let .select(select) = try Parser.parseStatement(text).kind else {
            Issue.record("not a SELECT: \(text)")
            throw SyntaxError(.emptyStatement, at: .synthesized)
        }
        return select
    }

    @Test func parsesTheReferenceQuery() throws {
        let text = """
            SELECT region, channel, customers, logo_churn_rate, revenue_churn_rate, nrr
            FROM subscriptions
            WHERE segment = 'enterprise' AND period BETWEEN '2025-01' AND '2025-06'
            GROUP BY ROLLUP(region, channel)
            HAVING customers >= 100
            ORDER BY logo_churn_rate DESC
            LIMIT 20;
            """
        let parsed = try select(text)
        let columns = ["region", "channel", "customers", "logo_churn_rate", "revenue_churn_rate", "nrr"]
        #expect(parsed == SelectStatement(
            items: columns.map { .expression(.column($0)) },
            cube: Identifier("subscriptions"),
            filter: .binary(.and, .binary(.equal, .column("segment"), .string("enterprise")),
                            .between(.column("period"), .string("2025-01"), .string("2025-06"))),
            groupBy: [GroupingElement(.rollup([.column("region"), .column("channel")]))],
            having: .binary(.greaterOrEqual, .column("customers"), .integer(100)),
            orderBy: [OrderItem(.column("logo_churn_rate"), direction: .descending)],
            limit: 20))
        #expect(parsed.cube?.range == SourceRange(start: 81, end: 94, line: 2, column: 6))
        #expect(parsed.range.start == 0 && parsed.range.end == text.utf8.count - 1)
    }

    @Test func parsesSelectItems() throws {
        let parsed = try select("select *, SUM(churned) * 1.0 / COUNT(*) AS rate, region r, \"My Col\" from subscriptions")
        #expect(parsed.items == [
            .wildcard,
            .expression(.binary(.divide, .binary(.multiply, .call("SUM", .column("churned")), .decimal(1)), .countStar()),
                        alias: Identifier("rate")),
            .expression(.column("region"), alias: Identifier("r")),
            .expression(.column("My Col")),
        ])
        #expect(parsed.items.map(\.outputName) == [nil, "rate", "r", "My Col"])
        #expect(try select("SELECT COUNT(*)").items[0].outputName == "COUNT(*)")
        #expect(try select("SELECT 1 + 1").cube == nil)
    }

    @Test func parsesGroupByForms() throws {
        let parsed = try select("""
            SELECT 1 FROM s GROUP BY segment, CUBE(region, channel), ROLLUP(plan),
              GROUPING SETS((region, channel), (region), industry, ())
            """)
        #expect(parsed.groupBy == [
            GroupingElement(.expression(.column("segment"))),
            GroupingElement(.cube([.column("region"), .column("channel")])),
            GroupingElement(.rollup([.column("plan")])),
            GroupingElement(.groupingSets([[.column("region"), .column("channel")], [.column("region")], [.column("industry")], []])),
        ])
        #expect(parsed.groupBy[3].range.line == 2 && parsed.groupBy[3].range.column == 3)
    }

    @Test func parsesOrderLimitOffset() throws {
        let parsed = try select("SELECT region, nrr FROM s ORDER BY 2 DESC NULLS LAST, region ASC, nrr NULLS FIRST LIMIT 5 OFFSET 10")
        #expect(parsed.orderBy == [
            OrderItem(.integer(2), direction: .descending, nulls: .last),
            OrderItem(.column("region")),
            OrderItem(.column("nrr"), nulls: .first),
        ])
        #expect(parsed.orderBy.map(\.position) == [2, nil, nil])
        #expect(parsed.limit == 5 && parsed.offset == 10)
    }

    @Test func parsesExplainDescribeSave() throws {
        #expect(try Parser.parseStatement("EXPLAIN SELECT a FROM s") == Statement(.explain(Statement(
            .select(SelectStatement(items: [.expression(.column("a"))], cube: Identifier("s")))))))
        #expect(try Parser.parseStatement("describe") == Statement(.describe(nil)))
        #expect(try Parser.parseStatement("DESCRIBE subscriptions;") == Statement(.describe(Identifier("subscriptions"))))
        #expect(try Parser.parseStatement("SAVE '/tmp/it''s.ccube'") == Statement(.save(path: "/tmp/it's.ccube")))
    }

    @Test func parsesHotspots() throws {
        let full = try Parser.parseStatement("""
            HOTSPOTS logo_churn_rate FROM subscriptions WHERE period >= '2025-01'
            BY channel, region, segment DEPTH 3 MIN SUPPORT 500 VERSUS parent HOT ORDER BY impact LIMIT 25
            """)
        #expect(full == Statement(.hotspots(HotspotsStatement(
            measure: .column("logo_churn_rate"), cube: Identifier("subscriptions"),
            filter: .binary(.greaterOrEqual, .column("period"), .string("2025-01")),
            dimensions: .list([Identifier("channel"), Identifier("region"), Identifier("segment")]),
            depth: 3, minimumSupport: 500, baseline: .parent, direction: .hot, ranking: .impact, limit: 25))))

        let reordered = try Parser.parseStatement("hotspots nrr by * limit 5 both versus global min support 1.5e3")
        #expect(reordered == Statement(.hotspots(HotspotsStatement(
            measure: .column("nrr"), dimensions: .all, minimumSupport: 1500, baseline: .global, direction: .both, limit: 5))))
    }

    @Test func parsesDrillAndPivot() throws {
        #expect(try Parser.parseStatement("DRILL logo_churn_rate FROM subscriptions TO channel = 'reseller' AND country = 'US'")
            == Statement(.drill(DrillStatement(
                measure: .column("logo_churn_rate"), cube: Identifier("subscriptions"),
                path: [DrillStatement.Step(dimension: Identifier("channel"), value: .string("reseller")),
                       DrillStatement.Step(dimension: Identifier("country"), value: .string("US"))]))))
        #expect(try Parser.parseStatement("DRILL nps TO tier = -1 AND plan = NULL") == Statement(.drill(DrillStatement(
            measure: .column("nps"),
            path: [DrillStatement.Step(dimension: Identifier("tier"), value: .integer(-1)),
                   DrillStatement.Step(dimension: Identifier("plan"), value: .null)]))))
        #expect(try Parser.parseStatement("PIVOT nrr WHERE segment = 'smb' ROWS region COLUMNS channel") == Statement(.pivot(PivotStatement(
            measure: .column("nrr"), filter: .binary(.equal, .column("segment"), .string("smb")),
            rows: Identifier("region"), columns: Identifier("channel")))))
    }

    @Test func commentsAndLayoutDoNotMatter() throws {
        let compact = try Parser.parseStatement("SELECT a FROM s WHERE b = 1")
        let commented = try Parser.parseStatement("select /* items */ A -- first\nfrom S\n where (b = 1);")
        #expect(compact == commented)
    }
}
