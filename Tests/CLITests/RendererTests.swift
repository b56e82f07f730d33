import ChurnQuery
import Testing
@testable import churncube

@Suite struct ValueTextTests {
    @Test func measuresShowInTheirFormat() {
        #expect(ValueText.display(.double(0.0171), format: .percent) == "1.71%")
        #expect(ValueText.display(.double(-0.25), format: .percent) == "-25.00%")
        #expect(ValueText.display(.decimal(units: 123_456_789, scale: 2), format: .money) == "1,234,567.89")
        #expect(ValueText.display(.decimal(units: -5, scale: 2), format: .money) == "-0.05")
        #expect(ValueText.display(.double(1234.005), format: .money) == "1,234.01")
        #expect(ValueText.display(.integer(1_234_567), format: .count) == "1,234,567")
        #expect(ValueText.display(.integer(1_234_567), format: .integer) == "1234567")
        #expect(ValueText.display(.double(3.14159), format: .number) == "3.142")
        #expect(ValueText.display(.null, format: .percent) == "NULL")
        #expect(ValueText.display(.subtotal, format: .text) == "(all)")
        #expect(ValueText.display(.double(1.0112 - 0.9990), format: .points) == "+1.22 points")
        #expect(ValueText.display(.double(-0.0035), format: .points) == "-0.35 points")
        #expect(ValueText.display(.double(3e-220), format: .significance) == "< 0.001")
        #expect(ValueText.display(.double(0.0123), format: .significance) == "0.012")
    }

    @Test func rawValuesAreForPrograms() {
        #expect(ValueText.raw(.double(0.0171)) == "0.0171")
        #expect(ValueText.raw(.decimal(units: 123_456_789, scale: 2)) == "1234567.89")
        #expect(ValueText.raw(.decimal(units: -7, scale: 2)) == "-0.07")
        #expect(ValueText.raw(.double(12)) == "12")
        #expect(ValueText.raw(.null) == "")
        #expect(ValueText.raw(.subtotal) == "")
    }
}

@Suite struct RendererTests {
    static let churnBySegment = QueryResult(
        columns: [
            ResultColumn(name: "segment", role: .dimension, format: .text),
            ResultColumn(name: "customers", role: .measure, format: .count),
            ResultColumn(name: "logo_churn_rate", role: .measure, format: .percent),
        ],
        rows: [
            [.text("enterprise"), .integer(1200), .double(0.0125)],
            [.text("smb"), .integer(45210), .double(0.0321)],
            [.subtotal, .integer(46410), .null],
        ])

    @Test func tableAlignsNumbersRightAndLabelsSubtotals() {
        let text = TableRenderer(style: .plain, truncates: false).render(Self.churnBySegment)
        #expect(text == """
            segment     customers  logo_churn_rate
            ----------  ---------  ---------------
            enterprise      1,200            1.25%
            smb            45,210            3.21%
            (all)          46,410             NULL
            """)
    }

    @Test func singleMeasureGetsBarsScaledToTheLargestMagnitude() {
        let result = QueryResult(
            columns: [ResultColumn(name: "tier", role: .dimension, format: .text),
                      ResultColumn(name: "nrr", role: .measure, format: .percent)],
            rows: [[.text("tier1"), .double(1.0)], [.text("tier2"), .double(0.5)], [.text("tier3"), .double(0.0125)]])
        let lines = TableRenderer(style: .plain, truncates: false).render(result).split(separator: "\n").map(String.init)
        #expect(lines[2] == "tier1  100.00%  " + String(repeating: "█", count: 20))
        #expect(lines[3] == "tier2   50.00%  " + String(repeating: "█", count: 10))
        #expect(lines[4] == "tier3    1.25%  ▎")
        #expect(TableRenderer.bar(fraction: 0.5 / 20, width: 20) == "▌")
    }

    @Test func barsOfRatesNearOneStartFromAStatedBaseline() {
        let result = QueryResult(
            columns: [ResultColumn(name: "tier", role: .dimension, format: .text),
                      ResultColumn(name: "nrr", role: .measure, format: .percent)],
            rows: [[.text("tier1"), .double(0.9996)], [.text("tier2"), .double(1.0050)], [.text("tier3"), .double(1.0020)]])
        #expect(TableRenderer.barOrigin([0.9996, 1.0050, 1.0020]) == 0.998)
        let lines = TableRenderer(style: .plain, truncates: false).render(result).split(separator: "\n").map(String.init)
        #expect(lines[0] == "tier       nrr  bars from 99.80%")
        #expect(lines[2] == "tier1   99.96%  ████▋")
        #expect(lines[3] == "tier2  100.50%  " + String(repeating: "█", count: 20))
        // Values far apart keep bars from 0, and say nothing of it.
        #expect(TableRenderer.barOrigin([0.0112, 0.0542]) == 0)
        #expect(TableRenderer.barOrigin([1.0, 1.0]) == 0)
        #expect(TableRenderer.barOrigin([-1.0, -1.1]) == 0)
    }

    @Test func rankedResultsBarTheirRankColumn() {
        var result = Self.churnBySegment
        result.presentation = .ranked(barColumn: 2)
        let lines = TableRenderer(style: .plain, truncates: false).render(result).split(separator: "\n").map(String.init)
        #expect(lines[3].hasSuffix("3.21%  " + String(repeating: "█", count: 20)))
        #expect(lines[4].hasSuffix("NULL"))
    }

    @Test func longTablesKeepTheFirst20AndLast10Rows() {
        let rows: [[ResultValue]] = (1...100).map { [.integer(Int64($0))] }
        let result = QueryResult(columns: [ResultColumn(name: "n", role: .dimension, format: .integer)], rows: rows)
        let lines = TableRenderer(style: .plain, truncates: true).render(result).split(separator: "\n").map(String.init)
        #expect(lines.count == 2 + 20 + 1 + 10)
        #expect(lines[21] == " 20")
        #expect(lines[22] == "… 70 more rows (use .mode csv or LIMIT)")
        #expect(lines[23] == " 91")
        #expect(lines.last == "100")
        let untouched = TableRenderer(style: .plain, truncates: false).render(result).split(separator: "\n")
        #expect(untouched.count == 102)
    }

    @Test func csvQuotesPerRFC4180AndPrintsRawValues() {
        let result = QueryResult(
            columns: [ResultColumn(name: "name", role: .dimension, format: .text),
                      ResultColumn(name: "rate", role: .measure, format: .percent),
                      ResultColumn(name: "mrr", role: .measure, format: .money)],
            rows: [[.text("a,b"), .double(0.0171), .decimal(units: 123456, scale: 2)],
                   [.text("say \"hi\""), .null, .decimal(units: 5, scale: 2)]])
        #expect(CSVRenderer.render(result) == #"""
            name,rate,mrr
            "a,b",0.0171,1234.56
            "say ""hi""",,0.05
            """#)
        #expect(JSONRenderer.render(result, statement: "SELECT name") == #"""
            {"statement":"SELECT name","columns":["name","rate","mrr"],"rows":[{"name":"a,b","rate":0.0171,"mrr":1234.56},{"name":"say \"hi\"","rate":null,"mrr":0.05}]}
            """#)
    }

    @Test func repeatedColumnNamesAreMadeUniqueAsDuckDBDoes() {
        let count = ResultColumn(name: "COUNT(*)", role: .measure, format: .count)
        let result = QueryResult(columns: [count, count, ResultColumn(name: "count(*)_1", role: .measure, format: .count)],
                                 rows: [[.integer(14024), .integer(14024), .integer(1)]])
        #expect(JSONRenderer.render(result) == #"""
            {"columns":["COUNT(*)","COUNT(*)_1","count(*)_1_1"],"rows":[{"COUNT(*)":14024,"COUNT(*)_1":14024,"count(*)_1_1":1}]}
            """#)
        #expect(CSVRenderer.render(result) == "COUNT(*),COUNT(*)_1,count(*)_1_1\n14024,14024,1")
        #expect(TableRenderer(style: .plain, truncates: false).render(result).hasPrefix("COUNT(*)  COUNT(*)_1  count(*)_1_1\n"))
        #expect(ColumnHeaders.unique(["x", "x", "X", "x_1"]) == ["x", "x_1", "X_2", "x_1_1"])
        #expect(ColumnHeaders.unique(["x", "x_1", "x", "x"]) == ["x", "x_1", "x_2", "x_3"])
    }

    @Test func csvWritesALoneEmptyFieldAsQuotes() {
        let result = QueryResult(columns: [ResultColumn(name: "MAX(nps)", role: .measure, format: .integer)],
                                 rows: [[.null], [.integer(3)], [.text("")]])
        #expect(CSVRenderer.render(result) == "MAX(nps)\n\"\"\n3\n\"\"")
        let pair = QueryResult(columns: [ResultColumn(name: "a", role: .measure, format: .integer),
                                         ResultColumn(name: "b", role: .measure, format: .integer)],
                               rows: [[.null, .null]])
        #expect(CSVRenderer.render(pair) == "a,b\n,")
    }

    @Test func markdownAndLineModesShowFormattedValues() {
        #expect(MarkdownRenderer.render(Self.churnBySegment) == """
            | segment | customers | logo_churn_rate |
            |---|---:|---:|
            | enterprise | 1,200 | 1.25% |
            | smb | 45,210 | 3.21% |
            | (all) | 46,410 | NULL |
            """)
        let first = LineRenderer.render(Self.churnBySegment).components(separatedBy: "\n\n")[0]
        #expect(first == """
                    segment = enterprise
                  customers = 1,200
            logo_churn_rate = 1.25%
            """)
    }

    @Test func heatmapPivotsTwoDimensionsAndShadesWithoutColour() throws {
        let result = QueryResult(
            columns: [ResultColumn(name: "region", role: .dimension, format: .text),
                      ResultColumn(name: "tier", role: .dimension, format: .text),
                      ResultColumn(name: "churn", role: .measure, format: .percent)],
            rows: [[.text("amer"), .text("tier1"), .double(0.01)], [.text("amer"), .text("tier2"), .double(0.02)],
                   [.text("emea"), .text("tier1"), .double(0.04)], [.text("emea"), .text("tier2"), .double(0.03)]])
        let grid = try #require(HeatmapRenderer.grid(of: result))
        #expect(grid.columnLabels == ["tier1", "tier2"])
        #expect(grid.rows.map(\.label) == ["amer", "emea"])
        let text = HeatmapRenderer(style: .plain).render(grid)
        #expect(text == #"""
            region \ tier   tier1   tier2
            amer          1.00% ░ 2.00% ▒
            emea          4.00% █ 3.00% ▓
            scale: ░▒▓█ 1.00% to 4.00%
            """#)
        let coloured = HeatmapRenderer(style: TerminalStyle(colour: true)).render(grid)
        #expect(coloured.contains("\u{1B}[30;48;5;161m"))
    }

    @Test func readingsWrapAtSpacesAndKeepComparisonsWhole() {
        let lines = FindingsRenderer.wrap("logo churn 5.42% vs average 1.70% for usage_pattern = dormant; n = 12,349; q < 0.001",
                                          width: 30, firstPrefix: "1. ", indent: "   ")
        #expect(lines == ["1. logo churn 5.42% vs average", "   1.70% for", "   usage_pattern = dormant;", "   n = 12,349; q < 0.001"])
        #expect(lines.allSatisfy { $0.count <= 30 })
    }

    @Test func colourOnlyOnATerminalWithoutNoColour() {
        #expect(TerminalStyle.detect(isTerminal: true, environment: ["TERM": "xterm-256color"]).colour)
        #expect(!TerminalStyle.detect(isTerminal: true, environment: ["TERM": "xterm", "NO_COLOR": "1"]).colour)
        #expect(!TerminalStyle.detect(isTerminal: false, environment: ["TERM": "xterm"]).colour)
        #expect(!TerminalStyle.detect(isTerminal: true, environment: ["TERM": "dumb"]).colour)
    }
}

@Suite struct CohortRendererTests {
    /// Two cohorts in long form; the later one is observed for one month less.
    static let retention = QueryResult(
        columns: [
            ResultColumn(name: "cohort", role: .dimension, format: .text),
            ResultColumn(name: "months_since_start", role: .dimension, format: .integer),
            ResultColumn(name: "accounts_at_start", role: .measure, format: .count),
            ResultColumn(name: "logo_retention", role: .measure, format: .percent),
        ],
        rows: [
            [.text("2025-01"), .integer(0), .integer(1200), .double(1)],
            [.text("2025-01"), .integer(1), .integer(1200), .double(0.95)],
            [.text("2025-02"), .integer(0), .integer(80), .double(0.5)],
        ],
        text: "logo_retention by month of the first row",
        presentation: .cohorts(CohortLayout(splitColumn: nil, months: 1)))

    @Test func aTerminalShowsTheTriangleBlankPastTheEnd() {
        let rendered = ResultRenderer(mode: .table, style: .plain, truncates: true).render(Self.retention)
        #expect(rendered.body == """
            logo_retention by month of the first row
            cohort \\ months accounts         0        1
            2025-01            1,200 100.00% █ 95.00% █
            2025-02               80  50.00% ░
            scale: ░▒▓█ 50.00% to 100.00%
            """)
    }

    @Test func programsGetTheLongForm() {
        let csv = ResultRenderer(mode: .csv, style: .plain, truncates: false).render(Self.retention)
        #expect(csv.body == """
            cohort,months_since_start,accounts_at_start,logo_retention
            2025-01,0,1200,1
            2025-01,1,1200,0.95
            2025-02,0,80,0.5

            """ || csv.body == """
            cohort,months_since_start,accounts_at_start,logo_retention
            2025-01,0,1200,1
            2025-01,1,1200,0.95
            2025-02,0,80,0.5
            """)
    }
}

@Suite struct ComparisonRendererTests {
    @Test func aTerminalShowsATablePerMeasureWithShortHeaders() {
        let result = QueryResult(
            columns: [
                ResultColumn(name: "region", role: .dimension, format: .text),
                ResultColumn(name: "customers_before", role: .measure, format: .count),
                ResultColumn(name: "customers_after", role: .measure, format: .count),
                ResultColumn(name: "customers_change", role: .measure, format: .count),
                ResultColumn(name: "customers_change_pct", role: .measure, format: .percent),
            ],
            rows: [[.text("emea"), .integer(1000), .integer(1100), .integer(100), .double(0.1)]],
            text: "before: period = '2025-05'; after: period = '2025-06'",
            presentation: .comparison(measures: [ComparisonGroup(measure: "customers", columns: 1..<5,
                                                                 shortNames: ["before", "after", "change", "change %"])]))
        let table = ResultRenderer(mode: .table, style: .plain, truncates: false).render(result)
        #expect(table.body == """
            before: period = '2025-05'; after: period = '2025-06'
            customers
            region  before  after  change  change %
            ------  ------  -----  ------  --------
            emea     1,000  1,100     100    10.00%
            """)
        let csv = ResultRenderer(mode: .csv, style: .plain, truncates: false).render(result)
        #expect(csv.body.hasPrefix("region,customers_before,customers_after,customers_change,customers_change_pct\nemea,1000,1100,100,0.1"))
    }
}
