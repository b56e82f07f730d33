import Testing
@testable import ChurnSyntax

@Suite struct CompletionTests {
    private func expectation(_ text: String) -> CompletionContext.Expectation {
        CompletionAnalyzer.context(before: text).expectation
    }

    private let starts = ["SELECT", "EXPLAIN", "DESCRIBE", "SAVE", "HOTSPOTS", "DRILL", "PIVOT", "COHORT", "WHY", "TREND", "PARETO", "BACKTEST", "HEALTH", "ALERTS"]

    @Test func keywordsAtStatementStartAndAfterOperands() {
        #expect(CompletionAnalyzer.context(before: "") == CompletionContext(.keywords(starts), partialOffset: 0))
        #expect(CompletionAnalyzer.context(before: "SELECT 1; SEL") == CompletionContext(.keywords(starts), partial: "SEL", partialOffset: 10))
        #expect(expectation("EXPLAIN ") == .keywords(["SELECT", "HOTSPOTS"]))
        #expect(expectation("SELECT region ") == .keywords(["AS", "FROM", "WHERE", "GROUP", "HAVING", "ORDER", "LIMIT", "OFFSET"]))
        #expect(expectation("SELECT * ") == .keywords(["FROM", "WHERE", "ORDER", "LIMIT", "OFFSET"]))
        #expect(expectation("SELECT a FROM s WHERE x = 'a' ") == .keywords(["AND", "OR", "GROUP", "HAVING", "ORDER", "LIMIT", "OFFSET"]))
        #expect(expectation("SELECT a FROM s GROUP ") == .keywords(["BY"]))
        #expect(expectation("HOTSPOTS nrr BY a ORDER BY ") == .keywords(["IMPACT", "LIFT", "SUPPORT"]))
        #expect(expectation("HOTSPOTS nrr BY a VERSUS pa") == .keywords(["EXPECTED", "PARENT", "GLOBAL"]))
        #expect(Keyword.all.contains("HOTSPOTS") && Keyword.all.contains("NULLS"))
    }

    @Test func onlyTheClausesThatCanFollow() {
        #expect(expectation("SELECT a FROM s ") == .keywords(["WHERE", "GROUP", "HAVING", "ORDER", "LIMIT", "OFFSET"]))
        #expect(expectation("SELECT a FROM s GROUP BY a ") == .keywords(["COMPARE", "HAVING", "ORDER", "LIMIT", "OFFSET"]))
        #expect(expectation("SELECT a FROM s GROUP BY a COMPARE period = '2025-01' ") == .keywords(["AND", "OR", "TO"]))
        #expect(expectation("COHORT logo_retention ") == .keywords(["FROM", "WHERE", "BY", "MONTHS"]))
        #expect(expectation("COHORT logo_retention BY segment ") == .keywords(["MONTHS"]))
        #expect(expectation("WHY nrr WHERE region = 'emea' ") == .keywords(["AND", "OR", "CHANGED"]))
        #expect(expectation("WHY nrr CHANGED ") == .keywords(["FROM"]))
        #expect(expectation("WHY nrr CHANGED FROM '2025-01' ") == .keywords(["TO"]))
        #expect(expectation("WHY nrr CHANGED FROM '2025-01' TO '2025-02' ") == .keywords(["BY", "DEPTH", "LIMIT"]))
        #expect(expectation("TREND nrr BY segment ") == .keywords(["LAST"]))
        #expect(expectation("PARETO mrr ") == .keywords(["FROM", "WHERE", "BY"]))
        #expect(expectation("BACKTEST WHEN health = 'red' ") == .keywords(["AND", "OR", "HORIZON", "FROM", "WHERE", "BY"]))
        #expect(expectation("ALERTS WHEN health = 'red' ") == .keywords(["AND", "OR", "AS", "FROM", "WHERE", "ORDER", "LIMIT"]))
        #expect(expectation("ALERTS ") == .rule(keywords: ["WHEN", "AS", "FROM", "WHERE", "ORDER", "LIMIT"]))
        #expect(expectation("BACKTEST ") == .rule(keywords: ["WHEN"]))
        #expect(expectation("SELECT cohort, ") == .column)
        #expect(expectation("SELECT a FROM s ORDER BY a ") == .keywords(["ASC", "DESC", "NULLS", "LIMIT", "OFFSET"]))
        #expect(expectation("SELECT a FROM s ORDER BY a DESC NULLS ") == .keywords(["FIRST", "LAST"]))
        #expect(expectation("SELECT a FROM s LIMIT 5 ") == .keywords(["OFFSET"]))
        #expect(expectation("SELECT a FROM s WHERE region ") == .keywords(["IN", "NOT", "BETWEEN", "LIKE", "IS"]))
        #expect(expectation("SELECT a FROM s WHERE region NOT ") == .keywords(["IN", "BETWEEN", "LIKE"]))
        #expect(expectation("SELECT a FROM s WHERE nps IS ") == .keywords(["NOT", "NULL"]))
        #expect(expectation("SELECT a FROM s WHERE period BETWEEN '2025-01' ") == .keywords(["AND"]))
        #expect(expectation("SELECT a FROM s GROUP BY a HAVING customers > 5 ") == .keywords(["AND", "OR", "ORDER", "LIMIT", "OFFSET"]))
        #expect(expectation("HOTSPOTS nrr ") == .keywords(["FROM", "WHERE", "BY"]))
        #expect(expectation("HOTSPOTS nrr FROM s ") == .keywords(["WHERE", "BY"]))
        #expect(expectation("HOTSPOTS nrr FROM s WHERE plan = 'pro' ") == .keywords(["AND", "OR", "BY"]))
        #expect(expectation("HOTSPOTS nrr BY a, b ") == .keywords(["DEPTH", "MIN", "VERSUS", "HOT", "COLD", "BOTH", "ORDER", "LIMIT"]))
        #expect(expectation("HOTSPOTS nrr BY * DEPTH 2 COLD ") == .keywords(["MIN", "VERSUS", "ORDER", "LIMIT"]))
        #expect(expectation("HOTSPOTS nrr BY a ORDER BY support ") == .keywords(["DEPTH", "MIN", "VERSUS", "HOT", "COLD", "BOTH", "LIMIT"]))
        #expect(expectation("HOTSPOTS nrr BY a MIN ") == .keywords(["SUPPORT"]))
        #expect(expectation("DRILL nrr FROM s ") == .keywords(["WHERE", "TO"]))
        #expect(expectation("DRILL nrr TO channel = 'reseller' ") == .keywords(["AND"]))
        #expect(expectation("PIVOT nrr WHERE a = 'b' ") == .keywords(["AND", "OR", "ROWS"]))
        #expect(expectation("PIVOT nrr ROWS region ") == .keywords(["COLUMNS"]))
        #expect(expectation("SELECT a FROM s GROUP BY GROUPING ") == .keywords(["SETS"]))
    }

    @Test func measuresAndDimensionsWhereOnlyTheyFit() {
        #expect(CompletionAnalyzer.context(before: "HOTSPOTS lo") == CompletionContext(.ratioMeasure, partial: "lo", partialOffset: 9))
        #expect(expectation("EXPLAIN HOTSPOTS ") == .ratioMeasure)
        #expect(expectation("DRILL ") == .measure)
        #expect(expectation("PIVOT ") == .measure)
        #expect(expectation("HOTSPOTS nrr BY ") == .groupable(groupingKeywords: false))
        #expect(expectation("HOTSPOTS nrr FROM s WHERE a = 'b' BY region, ") == .groupable(groupingKeywords: false))
        #expect(expectation("SELECT a FROM s GROUP BY ") == .groupable(groupingKeywords: true))
        #expect(expectation("SELECT a FROM s GROUP BY region, ") == .groupable(groupingKeywords: true))
        #expect(expectation("SELECT a FROM s GROUP BY ROLLUP(") == .groupable(groupingKeywords: false))
        #expect(expectation("SELECT a FROM s GROUP BY CUBE(region, ") == .groupable(groupingKeywords: false))
        #expect(expectation("SELECT a FROM s GROUP BY GROUPING SETS ((region), (") == .groupable(groupingKeywords: false))
        #expect(expectation("PIVOT nrr ROWS ") == .dimension)
        #expect(expectation("PIVOT nrr ROWS region COLUMNS ") == .dimension)
        #expect(expectation("DRILL nrr TO ") == .dimension)
        #expect(expectation("DRILL nrr TO channel = 'reseller' AND ") == .dimension)
    }

    @Test func cubeNamesAfterFromAndDescribe() {
        #expect(CompletionAnalyzer.context(before: "SELECT a FROM sub") == CompletionContext(.cubeName, partial: "sub", partialOffset: 14))
        #expect(expectation("describe ") == .cubeName)
        #expect(expectation("HOTSPOTS nrr FROM ") == .cubeName)
    }

    @Test func columnsInListsAndPredicates() {
        #expect(CompletionAnalyzer.context(before: "SELECT reg") == CompletionContext(.column, partial: "reg", partialOffset: 7))
        #expect(expectation("SELECT region, ") == .column)
        #expect(expectation("SELECT a FROM s WHERE ") == .column)
        #expect(expectation("SELECT a FROM s WHERE x = 'a' AND ") == .column)
        #expect(expectation("SELECT a FROM s ORDER BY lo") == .column)
        #expect(expectation("SELECT SUM(") == .column)
        #expect(expectation("SELECT a * ") == .column)
        #expect(expectation("SELECT a FROM s GROUP BY a HAVING ") == .column)
        #expect(expectation("SELECT CASE WHEN ") == .column)
    }

    @Test func memberValuesAfterComparisonsAndInLists() {
        #expect(expectation("SELECT a FROM s WHERE region = ") == .memberValue(dimension: "region"))
        #expect(CompletionAnalyzer.context(before: "SELECT a FROM s WHERE region = 'am")
            == CompletionContext(.memberValue(dimension: "region"), partial: "am", partialOffset: 31, isQuoted: true))
        #expect(expectation("SELECT a FROM s WHERE segment <> ") == .memberValue(dimension: "segment"))
        #expect(expectation("SELECT a FROM s WHERE segment IN (") == .memberValue(dimension: "segment"))
        #expect(CompletionAnalyzer.context(before: "SELECT a FROM s WHERE \"Plan\" NOT IN ('pro', 'O''Re")
            == CompletionContext(.memberValue(dimension: "Plan"), partial: "O'Re", partialOffset: 44, isQuoted: true))
        #expect(expectation("SELECT a FROM s WHERE period BETWEEN '2025-01' AND ") == .memberValue(dimension: "period"))
        #expect(expectation("DRILL nrr TO channel = 'reseller' AND country = ") == .memberValue(dimension: "country"))
    }

    @Test func freeTextCommentsAndDotCommands() {
        #expect(expectation("SELECT a FROM s LIMIT ") == .freeText)
        #expect(CompletionAnalyzer.context(before: "SELECT a FROM s LIMIT 1") == CompletionContext(.freeText, partial: "1", partialOffset: 22))
        #expect(expectation("SELECT a AS ") == .freeText)
        #expect(expectation("SELECT a -- pick ") == .nothing)
        #expect(expectation("SELECT a /* pick ") == .nothing)
        #expect(CompletionAnalyzer.context(before: "SELECT 1;\n.mode cs") == CompletionContext(.dotCommand, partial: "cs", partialOffset: 16))
        #expect(expectation(".mode csv\n") == .keywords(starts))
    }
}
