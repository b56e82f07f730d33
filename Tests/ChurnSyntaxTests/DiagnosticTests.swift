import Testing
@testable import ChurnSyntax

@Suite struct DiagnosticTests {
    private func error(_ text: String) -> SyntaxError? {
        do {
            _ = try Parser.parseStatement(text)
            return nil
        } catch {
            return error
        }
    }

    @Test func rendersCaretUnderTheRange() {
        let source = "SELECT customers FROM x WHERE regon = 'amer'"
        let diagnostic = Diagnostic(
            "unknown dimension 'regon'", range: SourceRange(start: 30, end: 35, line: 1, column: 31),
            hint: "did you mean 'region'?")
        #expect(diagnostic.render(source: source, origin: "query") == """
            query:1:31: error: unknown dimension 'regon'; did you mean 'region'?
            SELECT customers FROM x WHERE regon = 'amer'
                                          ^~~~~
            """)
    }

    @Test func offsetsHeaderByStatementBaseAndKeepsTabs() {
        let source = "SELECT a\n\tFROM b WHERE c"
        let diagnostic = Diagnostic("unknown cube 'b'", range: SourceRange(start: 15, end: 16, line: 2, column: 7), severity: .warning)
        #expect(diagnostic.render(source: source, origin: "script.cq", baseLine: 10, baseColumn: 5) == """
            script.cq:11:7: warning: unknown cube 'b'
            \tFROM b WHERE c
            \t     ^
            """)
        let firstLine = Diagnostic("x", range: SourceRange(start: 7, end: 8, line: 1, column: 8))
        #expect(firstLine.render(source: source, origin: nil, baseLine: 3, baseColumn: 5).hasPrefix("3:12: error: x\n"))
    }

    @Test func missingExpressionAfterWhere() {
        let failure = error("SELECT a FROM s WHERE")
        #expect(failure?.message == "expected an expression after 'WHERE'")
        #expect(failure?.expected == "an expression")
        #expect(failure?.range == SourceRange(start: 21, end: 21, line: 1, column: 22))
        #expect(failure?.diagnostic.render(source: "SELECT a FROM s WHERE", origin: "query") == """
            query:1:22: error: expected an expression after 'WHERE'
            SELECT a FROM s WHERE
                                 ^
            """)
        #expect(error("SELECT a FROM s WHERE GROUP BY a")?.message == "expected an expression after 'WHERE', found 'GROUP'")
    }

    @Test func misspelledFromPointsAtTheWord() {
        let text = "SELECT region,\n       customers FORM subscriptions"
        let failure = error(text)
        #expect(failure?.message == "expected ',' or FROM, found 'FORM'")
        #expect(failure?.hint == "did you mean FROM?")
        #expect(failure?.range == SourceRange(start: 32, end: 36, line: 2, column: 18))
        #expect(failure?.diagnostic.render(source: text, origin: "query") == """
            query:2:18: error: expected ',' or FROM, found 'FORM'; did you mean FROM?
                   customers FORM subscriptions
                             ^~~~
            """)
    }

    @Test func unexpectedClosingParenthesis() {
        let failure = error("SELECT a FROM s)")
        #expect(failure?.message == "unexpected ')'")
        #expect(failure?.range == SourceRange(start: 15, end: 16, line: 1, column: 16))
    }

    @Test func unterminatedStringRendersToEndOfLine() {
        let text = "SELECT a\nWHERE b = 'amer\nGROUP BY a"
        let failure = error(text)
        #expect(failure?.message == "unterminated string starting at 2:11")
        #expect(failure?.diagnostic.render(source: text, origin: "query") == """
            query:2:11: error: unterminated string starting at 2:11
            WHERE b = 'amer
                      ^~~~~
            """)
        // In a script the place is the script's, as in the header.
        #expect(failure?.diagnostic.render(source: text, origin: "report.cq", baseLine: 7, baseColumn: 3) == """
            report.cq:8:11: error: unterminated string starting at 8:11
            WHERE b = 'amer
                      ^~~~~
            """)
        #expect(error("SELECT \"a FROM s")?.message == "unterminated quoted identifier starting at 1:8")
        #expect(error("SELECT a /* FROM s")?.message == "unterminated block comment starting at 1:10")
    }

    @Test func otherMessages() {
        let cases: [(String, String)] = [
            ("", "expected a statement, found end of input"),
            ("-- only a comment", "expected a statement, found end of input"),
            ("SELEC a", "expected a statement (SELECT, EXPLAIN, DESCRIBE, SAVE, HOTSPOTS, DRILL, PIVOT, COHORT, WHY, TREND, PARETO, BACKTEST, HEALTH, ALERTS), found 'SELEC'"),
            ("SELECT SUM(a b) FROM s", "expected ',' or ')' after the arguments of SUM, found 'b'"),
            ("SELECT a FROM s GROUP a", "expected BY after 'GROUP', found 'a'"),
            ("SELECT a FROM s LIMIT x", "expected an integer after 'LIMIT', found 'x'"),
            ("SELECT a FROM s WHERE x IN 1", "expected '(' to start the IN list after 'IN', found '1'"),
            ("SELECT a FROM s WHERE x BETWEEN 1 OR 2", "expected AND between the BETWEEN bounds, found 'OR'"),
            ("SELECT (a + 1 FROM s", "expected ')', found 'FROM'"),
            ("SELECT CASE WHEN a THEN 1 FROM s", "expected WHEN, ELSE or END, found 'FROM'"),
            ("HOTSPOTS nrr FROM s DEPTH 2", "expected BY and the dimensions to search, found 'DEPTH'"),
            ("HOTSPOTS nrr BY a DEPTH 2 DEPTH 3", "duplicate DEPTH clause"),
            ("HOTSPOTS nrr BY a VERSUS median", "expected EXPECTED, PARENT or GLOBAL after 'VERSUS', found 'median'"),
            ("DRILL nrr TO channel = region", "expected a member value (a literal), found 'region'"),
            ("PIVOT nrr ROWS region", "expected COLUMNS, found end of input"),
            ("SAVE out", "expected a quoted path after 'SAVE', found 'out'"),
            ("SELECT a FROM s WHERE b = 1 GROPU BY a", "unexpected 'GROPU'"),
            ("HOTSPOTS nrr FROM s BY region WHERE plan = 'pro'", "WHERE comes before BY: HOTSPOTS nrr FROM s WHERE ... BY ..."),
            ("HOTSPOTS nrr BY region DEPTH 2 WHERE plan = 'pro'", "WHERE comes before BY: HOTSPOTS nrr WHERE ... BY ..."),
            ("HOTSPOTS nrr BY region FROM s", "FROM comes before BY: HOTSPOTS nrr FROM cube WHERE ... BY ..."),
            ("DRILL nrr TO region = 'amer' WHERE plan = 'pro'", "WHERE comes before TO: DRILL nrr WHERE ... TO dimension = 'member' AND ..."),
            ("PIVOT nrr FROM s ROWS region COLUMNS plan WHERE x = 'y'", "WHERE comes before ROWS: PIVOT nrr FROM s WHERE ... ROWS ... COLUMNS ..."),
            ("PARETO mrr BY region WHERE plan = 'pro'", "WHERE comes before BY: PARETO mrr WHERE ... [BY dimension]"),
            ("TREND nrr BY region LAST 6 MONTHS WHERE plan = 'pro'", "WHERE comes before BY: TREND nrr WHERE ... BY dimension [LAST n MONTHS]"),
            ("COHORT logo_retention BY segment FROM s", "FROM comes before BY: COHORT logo_retention FROM cube WHERE ... [BY dimension] [MONTHS n]"),
        ]
        for (text, message) in cases {
            #expect(error(text)?.message == message, "\(text)")
        }
        #expect(error("SELECT a FROM s WHERE b = 1 GROPU BY a")?.hint == "did you mean GROUP?")
        #expect(error("SELEC a")?.hint == "did you mean SELECT?")
    }

    @Test func closestMatchSuggestsOnlyNearNames() {
        let dimensions = ["region", "channel", "segment", "usage_pattern", "country"]
        #expect(closestMatch(to: "regon", among: dimensions) == "region")
        #expect(closestMatch(to: "REGION", among: dimensions) == "region")
        #expect(closestMatch(to: "chanenl", among: dimensions) == "channel")  // adjacent swap costs 1
        #expect(closestMatch(to: "usage_patern", among: dimensions) == "usage_pattern")
        #expect(closestMatch(to: "plan", among: dimensions) == nil)
        #expect(closestMatch(to: "x", among: ["y", "xy"]) == "y")
        #expect(closestMatch(to: "segmnt", among: ["segment", "segments"]) == "segment")
        #expect(closestMatch(to: "abc", among: []) == nil)
        #expect(editDistance(Array("ca"), Array("abc")) == 3)
        #expect(closestMatch(to: "abs", among: ["abs", "avg"]) == nil)
        #expect(closestMatch(to: "round", among: ["round", "rounds"]) == "rounds")
    }

    @Test func closestMatchWorkIsBoundedForHugeNames() {
        let candidates = ["region", "channel", "segment", "usage_pattern", "country"]
        let started = ContinuousClock.now
        #expect(closestMatch(to: String(repeating: "a", count: 2_000_000), among: candidates) == nil)
        #expect(closestMatch(to: String(repeating: "region", count: 4), among: candidates) == nil)
        #expect(closestMatch(to: "regio" + String(repeating: "n", count: 3), among: candidates) == "region")
        #expect(ContinuousClock.now - started < .seconds(1))
        #expect(editDistance(Array("segment"), Array("usage_pattern"), atMost: 2) == nil)
        #expect(editDistance(Array("chanenl"), Array("channel"), atMost: 1) == 1)
    }
}
