import Foundation
import Testing

/// What programs read from csv and json output, parsed with real parsers: a strict RFC 4180
/// reader and Foundation's JSONSerialization.
@Suite struct MachineOutputTests {
    /// Facts whose region is NULL on two rows, so a real NULL member and a subtotal meet.
    static let factsWithNullRegion: String = {
        let path = try! CLI.temporaryDirectory() + "/accounts.csv"
        try! "account_id,region,churned\nA1,amer,1\nA2,,0\nA3,,1\nA4,emea,0\n".write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }()

    static let rollupByRegion = """
        SELECT region, GROUPING(region) AS rolled_up, COUNT(*) AS n FROM accounts
         GROUP BY ROLLUP(region) ORDER BY rolled_up, region;
        """

    @Test func csvWritesARolledUpCellAsNullAsSQLDoes() throws {
        let run = try CLI.run([Self.factsWithNullRegion, "--format", "csv", "-c", Self.rollupByRegion])
        #expect(run.status == 0, "\(run.standardError)")
        let tables = try StrictCSV.tables(run.standardOutput)
        #expect(tables.count == 1)
        let table = try #require(tables.first)
        #expect(table.header == ["region", "rolled_up", "n"])
        // The NULL member and the subtotal are both empty; GROUPING tells them apart.
        #expect(table.records == [["amer", "0", "1"], ["emea", "0", "1"], ["", "0", "2"], ["", "1", "4"]])
        #expect(!run.standardOutput.contains("(all)"))
    }

    @Test func jsonWritesARolledUpCellAsNull() throws {
        let run = try CLI.run([Self.factsWithNullRegion, "--format", "json", "-c", Self.rollupByRegion])
        #expect(run.status == 0, "\(run.standardError)")
        let document = try #require(try JSONSerialization.jsonObject(with: Data(run.standardOutput.utf8)) as? [String: Any])
        #expect(document["columns"] as? [String] == ["region", "rolled_up", "n"])
        let rows = try #require(document["rows"] as? [[String: Any]])
        #expect(rows.count == 4)
        #expect(rows.map { $0["region"] is NSNull } == [false, false, true, true])
        #expect(rows.map { ($0["rolled_up"] as? NSNumber)?.intValue } == [0, 0, 0, 1])
        #expect(rows.map { ($0["n"] as? NSNumber)?.intValue } == [1, 1, 2, 4])
    }

    @Test func peopleStillSeeAllForARolledUpCell() throws {
        for format in ["table", "markdown"] {
            let run = try CLI.run([Self.factsWithNullRegion, "--format", format, "-c", Self.rollupByRegion])
            #expect(run.status == 0, "\(run.standardError)")
            #expect(run.standardOutput.contains("(all)"), "\(format): \(run.standardOutput)")
            #expect(run.standardOutput.contains("NULL"), "\(format): \(run.standardOutput)")
        }
    }
}

/// Several statements in one run: json is one object per line, csv one table per statement after
/// an empty line, table and markdown results apart by an empty line.
@Suite struct SeveralStatementsTests {
    static let statements = """
        SELECT segment, customers FROM subscriptions GROUP BY segment ORDER BY segment;
        SELECT region, channel, customers, logo_churn_rate FROM subscriptions GROUP BY ROLLUP(region, channel) ORDER BY region, channel LIMIT 4;
        EXPLAIN SELECT segment, customers FROM subscriptions GROUP BY segment;
        """

    @Test func jsonIsOneDocumentPerStatement() throws {
        let run = try CLI.runOnSmallFacts(["--format", "json", "-c", Self.statements])
        #expect(run.status == 0, "\(run.standardError)")
        let lines = run.standardOutput.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines.count == 4 && lines.last == "")
        let documents = try lines.dropLast().map { line in
            try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
        }
        #expect(documents[0]["statement"] as? String == "SELECT segment, customers FROM subscriptions GROUP BY segment ORDER BY segment")
        #expect(documents[0]["columns"] as? [String] == ["segment", "customers"])
        let segments = try #require(documents[0]["rows"] as? [[String: Any]])
        #expect(segments.map { $0["segment"] as? String } == ["enterprise", "mid_market", "smb"])
        #expect(segments.map { ($0["customers"] as? NSNumber)?.intValue ?? 0 }.reduce(0, +) == 2000)
        #expect(documents[1]["columns"] as? [String] == ["region", "channel", "customers", "logo_churn_rate"])
        #expect((documents[1]["rows"] as? [[String: Any]])?.count == 4)
        #expect((documents[2]["text"] as? String)?.hasPrefix("EXPLAIN SELECT") == true)
        #expect(documents[2]["rows"] == nil)
    }

    @Test func csvIsOneTablePerStatementAfterAnEmptyLine() throws {
        let run = try CLI.runOnSmallFacts(["--format", "csv", "-c", Self.statements])
        #expect(run.status == 0, "\(run.standardError)")
        let tables = try StrictCSV.tables(run.standardOutput)
        #expect(tables.map(\.header) == [["segment", "customers"], ["region", "channel", "customers", "logo_churn_rate"], ["text"]])
        #expect(try tables[0].column("segment") == ["enterprise", "mid_market", "smb"])
        #expect(tables[1].records.count == 4)
        #expect(tables[2].records.first == ["EXPLAIN SELECT segment, customers FROM subscriptions GROUP BY segment"])
    }

    @Test func tableAndMarkdownResultsStandApartByAnEmptyLine() throws {
        let table = try CLI.runOnSmallFacts(["-c", Self.statements])
        #expect(table.status == 0, "\(table.standardError)")
        let blocks = table.standardOutput.components(separatedBy: "\n\n")
        #expect(blocks.count == 3)
        #expect(blocks[0].hasPrefix("segment     customers\n"))
        #expect(blocks[1].hasPrefix("region  channel"))
        #expect(blocks[2].hasPrefix("EXPLAIN SELECT"))

        let markdown = try CLI.runOnSmallFacts(["--format", "markdown", "-c", Self.statements])
        let parts = markdown.standardOutput.components(separatedBy: "\n\n")
        #expect(parts.count == 3)
        #expect(parts[0].hasPrefix("| segment | customers |\n|---|---:|\n"))
        #expect(parts[1].hasPrefix("| region | channel |"))
    }

    @Test func aCaptionGoesToStandardErrorInCSVAndIsTheNoteInJSON() throws {
        let pivot = "PIVOT logo_churn_rate ROWS segment COLUMNS region;"
        let csv = try CLI.runOnSmallFacts(["--format", "csv", "-c", pivot])
        #expect(csv.status == 0)
        #expect(csv.standardError == "logo_churn_rate by segment and region\n")
        #expect(try StrictCSV.tables(csv.standardOutput).first?.header.first == "segment \\ region")
        let json = try CLI.runOnSmallFacts(["--format", "json", "-c", pivot])
        let document = try #require(try JSONSerialization.jsonObject(with: Data(json.standardOutput.utf8)) as? [String: Any])
        #expect(document["note"] as? String == "logo_churn_rate by segment and region")
        #expect(json.standardError == "")
    }
}

/// HOTSPOTS for programs, on the bundled sample: the cell's conditions as fields, q and impact as
/// numbers, support exactly as summed.
@Suite struct HotspotFieldsTests {
    static let search = """
        HOTSPOTS logo_churn_rate FROM subscriptions BY channel, segment, country, usage_pattern
        DEPTH 2 MIN SUPPORT 500 VERSUS expected LIMIT 12;
        """
    /// Against the average: on the 200,000-row sample, what region and plan predict leaves the
    /// planted latam starter downsell below significance once MRR's variance is pooled.
    static let revenueSearch = "HOTSPOTS nrr BY region, plan DEPTH 2 MIN SUPPORT 1000 VERSUS global LIMIT 5;"

    /// At most two decimals, no exponent, no separators.
    static func isHundredths(_ text: String) -> Bool {
        text.wholeMatch(of: /-?\d+(\.\d{1,2})?/) != nil
    }

    @Test func csvHasAColumnPerSearchedDimensionAndNumbers() throws {
        let run = try CLI.run(["--format", "csv", "-c", Self.search])
        #expect(run.status == 0, "\(run.standardError)")
        let table = try #require(try StrictCSV.tables(run.standardOutput).first)
        #expect(table.header == ["cell", "channel", "segment", "country", "usage_pattern", "support", "value", "baseline", "versus",
                                 "lift", "impact", "q", "reading"])
        let cells = try table.column("cell")
        let row = try #require(table.records.first { $0[0] == "channel = reseller, country = US" })
        #expect(Array(row[1...4]) == ["reseller", "", "US", ""])
        let dormant = try #require(table.records.first { $0[0] == "usage_pattern = dormant" })
        #expect(Array(dormant[1...4]) == ["", "", "", "dormant"])
        for q in try table.column("q") {
            let value = try #require(Double(q), "q '\(q)' is not a number")
            #expect(value >= 0 && value <= 0.05)
        }
        #expect(try table.column("impact").allSatisfy(Self.isHundredths))
        // Support of a proportion is a count of rows, written whole.
        #expect(try table.column("support").allSatisfy { $0.wholeMatch(of: /\d+/) != nil })
        #expect(try table.column("support")[cells.firstIndex(of: "usage_pattern = dormant")!] == "12349")
        // The count of cells is kept, on standard error.
        #expect(run.standardError.wholeMatch(of: /\d+ of \d+ significant cells? \([\d,]+ tested\)\n/) != nil, "\(run.standardError)")
    }

    @Test func csvSupportOfARevenueRateIsItsMRRToTheCent() throws {
        let run = try CLI.run(["--format", "csv", "-c", Self.revenueSearch + "\nSELECT SUM(mrr_start) AS mrr FROM subscriptions WHERE region = 'latam' AND plan = 'starter';"])
        #expect(run.status == 0, "\(run.standardError)")
        let tables = try StrictCSV.tables(run.standardOutput)
        #expect(tables.count == 2)
        let findings = tables[0]
        let latam = try #require(findings.records.first { $0[0] == "region = latam, plan = starter" })
        let support = latam[try #require(findings.header.firstIndex(of: "support"))]
        #expect(support == tables[1].records.first?.first)
        #expect(support.wholeMatch(of: /\d+\.\d\d/) != nil)
        #expect(try findings.column("impact").allSatisfy(Self.isHundredths))
    }

    @Test func jsonGivesTheCellAsAnObjectAndTheCounts() throws {
        let run = try CLI.run(["--format", "json", "-c", Self.search])
        #expect(run.status == 0, "\(run.standardError)")
        #expect(run.standardError == "")
        let document = try #require(try JSONSerialization.jsonObject(with: Data(run.standardOutput.utf8)) as? [String: Any])
        let rows = try #require(document["rows"] as? [[String: Any]])
        #expect(!rows.isEmpty)
        #expect((document["reported"] as? NSNumber)?.intValue == rows.count)
        #expect(((document["significant"] as? NSNumber)?.intValue ?? 0) >= rows.count)
        #expect(((document["tested"] as? NSNumber)?.intValue ?? 0) > 100)
        #expect((document["note"] as? String)?.contains("significant cell") == true)
        #expect(document["units"] as? [String: String] == ["impact": "churned accounts"])
        #expect(document["columns"] as? [String] == ["cell", "support", "value", "baseline", "versus", "lift", "impact", "q", "reading"])
        let cells = rows.compactMap { $0["cell"] as? [String: Any] }
        #expect(cells.count == rows.count)
        let reseller = try #require(rows.first { ($0["cell"] as? [String: String]) == ["channel": "reseller", "country": "US"] })
        #expect(reseller["q"] is NSNumber)
        let impact = try #require(reseller["impact"] as? NSNumber)
        #expect((impact.doubleValue * 100).rounded() == impact.doubleValue * 100)
        #expect(rows.contains { ($0["cell"] as? [String: String]) == ["usage_pattern": "dormant"] })
    }
}

@Suite struct DrillFieldsTests {
    @Test func aRateChangesByTheDifferenceOfItsRatiosBesideItsExpectation() throws {
        let run = try CLI.run(["--format", "csv", "-c", "DRILL nrr TO tier = 'tier2' AND region = 'emea';"])
        #expect(run.status == 0, "\(run.standardError)")
        #expect(run.standardError == "expected: the baseline HOTSPOTS judges each step against\n")
        let table = try #require(try StrictCSV.tables(run.standardOutput).first)
        #expect(table.header == ["step", "nrr", "rows", "change", "expected"])
        let nrr = try table.column("nrr").map { try #require(Double($0)) }
        let change = try table.column("change")
        #expect(change[0] == "")
        for step in 1..<nrr.count { #expect(abs((Double(change[step]) ?? .nan) - (nrr[step] - nrr[step - 1])) < 1e-12) }
        let expected = try table.column("expected")
        #expect(expected[0] == "" && abs((Double(expected[1]) ?? .nan) - nrr[0]) < 1e-12 && Double(expected[2]) != nil)

        let people = try CLI.run(["-c", "DRILL nrr TO tier = 'tier2' AND region = 'emea';"])
        #expect(people.standardOutput.contains("+0.24 points"), "\(people.standardOutput)")
    }
}

@Suite struct PivotOutputTests {
    @Test func aNullMemberIsLabelledAlikeDownAndAcross() throws {
        let run = try CLI.run([MachineOutputTests.factsWithNullRegion, "--format", "csv", "-c", "PIVOT COUNT(*) ROWS region COLUMNS region;"])
        #expect(run.status == 0, "\(run.standardError)")
        let table = try #require(try StrictCSV.tables(run.standardOutput).first)
        #expect(table.header == ["region \\ region", "amer", "emea", "NULL"])
        #expect(table.records.map(\.first) == ["amer", "emea", "NULL"])
        #expect(table.records.last == ["NULL", "", "", "2"])
    }

    @Test func manyMembersAcrossAreCappedWithANote() throws {
        let run = try CLI.run(["--format", "csv", "-c", """
            PIVOT customers ROWS segment COLUMNS account_id;
            SELECT account_id, COUNT(*) AS n FROM subscriptions GROUP BY account_id;
            """])
        #expect(run.status == 0, "\(run.standardError)")
        #expect(run.standardError == "customers by segment and account_id (50 of 9,478 columns shown, those with the most rows; "
            + "9,428 left out: narrow the slice with WHERE)\n")
        let tables = try StrictCSV.tables(run.standardOutput)
        #expect(tables.count == 2)
        let shown = Array(tables[0].header.dropFirst())
        #expect(shown.count == 50)
        #expect(shown == shown.sorted())
        var rows: [String: Int] = [:]
        for record in tables[1].records { rows[record[0]] = Int(record[1]) }
        #expect(rows.count == 9_478)
        let kept = Set(shown)
        let leastKept = shown.compactMap { rows[$0] }.min() ?? 0
        let mostLeftOut = rows.filter { !kept.contains($0.key) }.map(\.value).max() ?? 0
        #expect(leastKept >= mostLeftOut)
    }
}
