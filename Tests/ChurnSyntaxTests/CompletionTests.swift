import Testing
@testable import ChurnSyntax

@Suite struct CompletionTests {
    private func expectation(_ text: String) -> CompletionContext.Expectation {
        CompletionAnalyzer.context(before: text).expectation
    }

    @Test func keywordsAtStatementStartAndAfterOperands() {
        #expect(CompletionAnalyzer.context(before: "") == CompletionContext(.keyword, partialOffset: 0))
        #expect(CompletionAnalyzer.context(before: "SELECT 1; SEL") == CompletionContext(.keyword, partial: "SEL", partialOffset: 10))
        #expect(expectation("SELECT region ") == .keyword)
        #expect(expectation("SELECT * ") == .keyword)
        #expect(expectation("SELECT a FROM s WHERE x = 'a' ") == .keyword)
        #expect(expectation("SELECT a FROM s GROUP ") == .keyword)
        #expect(expectation("HOTSPOTS nrr BY a ORDER BY ") == .keyword)
        #expect(expectation("HOTSPOTS nrr BY a VERSUS pa") == .keyword)
        #expect(Keyword.all.contains("HOTSPOTS") && Keyword.all.contains("NULLS"))
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
        #expect(expectation("SELECT a FROM s GROUP BY ") == .column)
        #expect(expectation("SELECT a FROM s GROUP BY ROLLUP(") == .column)
        #expect(expectation("SELECT a FROM s ORDER BY lo") == .column)
        #expect(expectation("SELECT SUM(") == .column)
        #expect(expectation("SELECT a * ") == .column)
        #expect(expectation("HOTSPOTS logo_churn_rate BY channel, ") == .column)
        #expect(expectation("PIVOT nrr ROWS ") == .column)
        #expect(expectation("DRILL nrr TO ") == .column)
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
        #expect(expectation(".mode csv\n") == .keyword)
    }
}
