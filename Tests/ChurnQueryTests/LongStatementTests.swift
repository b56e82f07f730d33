import ChurnQuery
import ChurnSyntax
import Testing

/// Statements of thousands of terms run through the whole engine (binding, pruning, scanning,
/// output evaluation, EXPLAIN) on the test's own thread; nesting past the limits is refused
/// with a message at the place.
@Suite struct LongStatementTests {
    static let engine = try! BehaviourTests.load("tiny")

    private func values(_ statement: String) throws -> [[String]] {
        try Self.engine.execute(statement).rows.map { $0.map(BehaviourTests.render) }
    }

    private func failure(_ statement: String) -> String? {
        do {
            _ = try Self.engine.execute(statement)
            return nil
        } catch {
            return "\(error)"
        }
    }

    private func chain(_ term: String, _ separator: String, _ count: Int) -> String {
        Array(repeating: term, count: count).joined(separator: separator)
    }

    @Test func thousandsOfConditionsFilterAsOne() throws {
        #expect(try values("SELECT COUNT(*) FROM tiny WHERE " + chain("region = 'amer'", " AND ", 3_000)) == [["5"]])
        #expect(try values("SELECT COUNT(*) FROM tiny WHERE " + chain("region = 'apac'", " OR ", 5_000)) == [["1"]])
        #expect(try values("SELECT COUNT(*) FROM tiny WHERE NOT (" + chain("region = 'amer'", " OR ", 5_000) + ")") == [["6"]])
        #expect(try values("SELECT COUNT(*) FROM tiny WHERE " + chain("mrr_start > 40", " AND ", 3_000)) == [["10"]])
        #expect(try values("SELECT account_id FROM tiny WHERE " + chain("region = 'apac'", " OR ", 5_000)) == [["A6"]])
        let plan = try Self.engine.execute("EXPLAIN SELECT COUNT(*) FROM tiny WHERE " + chain("region = 'amer'", " AND ", 3_000))
        #expect(plan.text?.contains("rows out: 1") == true)
    }

    @Test func thousandsOfTermsComputeAsOne() throws {
        let sum = chain("COUNT(*)", " + ", 4_000)
        let result = try Self.engine.execute("SELECT \(sum) FROM tiny")
        #expect(result.rows.map { $0.map(BehaviourTests.render) } == [["48000"]])
        #expect(result.columns.map(\.name) == [sum])
        #expect(try values("SELECT region, " + chain("COUNT(*)", " - ", 4_000) + " FROM tiny GROUP BY region ORDER BY region")
            == [["amer", "-19990"], ["apac", "-3998"], ["emea", "-19990"], ["NULL", "-3998"]])
        #expect(try values("SELECT region FROM tiny GROUP BY region HAVING " + chain("COUNT(*) > 1", " AND ", 3_000) + " ORDER BY region")
            == [["amer"], ["emea"]])
        #expect(try values("SELECT region, customers FROM tiny GROUP BY region ORDER BY " + chain("customers", " * ", 3_000) + " DESC, region LIMIT 1")
            == [["amer", "5"]])
    }

    @Test func deepRowArithmeticIsRefusedWithItsDepth() throws {
        #expect(failure("SELECT SUM(" + chain("mrr_start", " + ", 4_000) + ") FROM tiny")
            == "arithmetic inside SUM is 4000 levels deep (each operator of a chain is one); at most 256")
        #expect(failure("SELECT COUNT(*) FROM tiny WHERE " + chain("nps", " + ", 300) + " > 1")
            == "arithmetic in WHERE is 300 levels deep (each operator of a chain is one); at most 256")
        #expect(try values("SELECT SUM(" + chain("mrr_start", " + ", 256) + ") FROM tiny") == [["312320.00"]])
    }

    @Test func deepNestingIsASyntaxErrorNotACrash() {
        #expect(failure("SELECT " + String(repeating: "(", count: 1_500) + "COUNT(*)" + String(repeating: ")", count: 1_500) + " FROM tiny")
            == "1:264: nesting deeper than 256 levels")
        #expect(failure("SELECT COUNT(*) FROM tiny WHERE " + String(repeating: "NOT ", count: 5_000) + "region = 'amer'")
            == "1:1057: nesting deeper than 256 levels")
        #expect(failure("SELECT " + String(repeating: "COALESCE(", count: 5_000) + "COUNT(*)" + String(repeating: ")", count: 5_000))
            == "1:2312: nesting deeper than 256 levels")
    }

    @Test func nestingAtTheLimitRunsThroughTheEngine() throws {
        let depth = 255
        let calls = String(repeating: "COALESCE(", count: depth) + "COUNT(*)" + String(repeating: ")", count: depth)
        #expect(try values("SELECT \(calls) FROM tiny") == [["12"]])
        let cases = String(repeating: "CASE WHEN TRUE THEN ", count: depth) + "COUNT(*)" + String(repeating: " END", count: depth)
        #expect(try values("SELECT \(cases) FROM tiny") == [["12"]])
        let sums = String(repeating: "(1 + ", count: depth) + "COUNT(*)" + String(repeating: ")", count: depth)
        #expect(try values("SELECT \(sums) FROM tiny") == [["267"]])
        let negations = String(repeating: "NOT (", count: 127) + "region = 'amer'" + String(repeating: ")", count: 127)
        #expect(try values("SELECT COUNT(*) FROM tiny WHERE \(negations)") == [["6"]])
    }

    @Test func aHugeNameIsReportedWithoutSuggestionsAtOnce() {
        let name = String(repeating: "regio", count: 400_000)
        let started = ContinuousClock.now
        #expect(failure("SELECT \(name) FROM tiny") == "unknown column '\(name)'")
        #expect(failure("SELECT customers FROM tiny GROUP BY \(name)") == "unknown dimension '\(name)'")
        #expect(ContinuousClock.now - started < .seconds(10))
    }

    @Test func hotspotMeasuresAreBoundedToo() throws {
        let measure = try Parser.parseExpression("(" + chain("SUM(churned)", " + ", 4_000) + ") / COUNT(*)")
        #expect(throws: QueryError.self) { try Self.engine.ratioParts(of: measure) }
        let parts = try Self.engine.ratioParts(of: try Parser.parseExpression("(" + chain("SUM(churned)", " + ", 100) + ") / COUNT(*)"))
        #expect(parts.denominator == .constant(1))
    }
}
