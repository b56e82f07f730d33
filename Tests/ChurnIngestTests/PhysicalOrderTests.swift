import Foundation
import Testing
import ChurnModel
import ChurnStorage
@testable import ChurnIngest

/// Facts of `accounts` accounts over `months` months, one CSV row per account-month, in the
/// order of an export by account or by month. Some regions and NPS answers are NULL.
private func facts(accounts: Int, months: Int, byMonth: Bool) -> String {
    var rows: [String] = ["account_id,period,region,mrr_start,churned,nps,score"]
    func row(_ account: Int, _ month: Int) -> String {
        let region = account % 7 == 3 ? "" : ["amer", "emea", "apac", "\"la, tam\""][account % 4]
        let nps = (account + month) % 3 == 0 ? "" : String((account * 7 + month) % 11)
        let period = String(format: "2025-%02d", month + 1)
        return "A\(1000 + account),\(period),\(region),\(account * 13 + month).25,\(month == months - 1 && account % 5 == 0 ? 1 : 0),\(nps),\(Double(account) / 4)"
    }
    if byMonth {
        for month in 0..<months { for account in 0..<accounts { rows.append(row(account, month)) } }
    } else {
        for account in 0..<accounts { for month in 0..<months { rows.append(row(account, month)) } }
    }
    return rows.joined(separator: "\n") + "\n"
}

private func cubeText(sort: String?) -> String {
    """
    cube: tiny
    dimensions:
      account_id: {}
      period: { type: month }
      region: {}
    \(sort.map { "sort: \($0)" } ?? "")
    facts:
      mrr_start: money
      churned: flag
      nps: integer
      score: double
    """
}

private func load(_ csv: String, sort: String?, rowGroupSize: Int = 16, scratch: Scratch = Scratch()) throws -> (Cube, IngestReport) {
    var options = IngestOptions(cubePath: scratch.write("tiny.yaml", cubeText(sort: sort)))
    options.rowGroupSize = rowGroupSize
    options.blockSize = 1 << 12
    return try CSVLoader.load(path: scratch.write("facts.csv", csv), options: options)
}

/// The rows of a cube as text tuples, in stored order.
private func rows(_ cube: Cube) throws -> [[String]] {
    let columns = try cube.store.columns.map { column -> [String] in
        try column.decodeAllValues().map { value in
            switch value {
            case nil: return "NULL"
            case let .text(text)?: return text
            case let .integer(number)?: return String(number)
            case let .double(number)?: return String(number)
            }
        }
    }
    return (0..<cube.store.rowCount).map { row in columns.map { $0[row] } }
}

@Suite struct PhysicalOrderTests {
    @Test func monthlyExportIsStoredClusteredByAccountThenMonth() throws {
        let byMonth = facts(accounts: 37, months: 5, byMonth: true)
        let (cube, report) = try load(byMonth, sort: "[account_id, period]")
        #expect(report.sortKey == ["account_id", "period"])
        #expect(cube.definition.sortKey == .columns(["account_id", "period"]))
        let stored = try rows(cube)
        #expect(stored.count == 37 * 5)
        // Every account's rows together, months ascending; accounts in order of first appearance.
        for (index, row) in stored.enumerated() {
            #expect(row[0] == "A\(1000 + index / 5)")
            #expect(row[1] == String(format: "2025-%02d", index % 5 + 1))
        }
        // Same rows as the account-by-account export, value for value, NULLs included.
        let (clustered, _) = try load(facts(accounts: 37, months: 5, byMonth: false), sort: "[account_id, period]")
        #expect(try rows(clustered) == stored)
        #expect(stored.contains { $0[2] == "NULL" } && stored.contains { $0[5] == "NULL" })
        #expect(cube.store.rowGroupSizes == Array(repeating: 16, count: 11) + [9])
    }

    @Test func bothOrdersCompressAlike() throws {
        let (byMonth, _) = try load(facts(accounts: 400, months: 12, byMonth: true), sort: nil, rowGroupSize: 1024)
        let (byAccount, _) = try load(facts(accounts: 400, months: 12, byMonth: false), sort: nil, rowGroupSize: 1024)
        #expect(byMonth.definition.sortKey == .columns(["account_id", "period"]))
        #expect(byMonth.store.storedByteCount == byAccount.store.storedByteCount)
        #expect(try rows(byMonth) == rows(byAccount))
    }

    @Test func sortNoneKeepsTheInputOrder() throws {
        let csv = facts(accounts: 9, months: 3, byMonth: true)
        let (cube, report) = try load(csv, sort: "none")
        #expect(report.sortKey.isEmpty)
        #expect(try rows(cube).map { $0[0] }.prefix(10) == ["A1000", "A1001", "A1002", "A1003", "A1004", "A1005", "A1006", "A1007", "A1008", "A1000"])
    }

    @Test func sortByValueOrdersMonthsByCalendar() throws {
        // Months first seen out of order get codes out of order; the key sorts them by value.
        let csv = "account_id,period,region,mrr_start,churned,nps,score\nA1,2025-03,amer,1,0,,0\nA1,2025-01,amer,1,0,,0\nA2,2025-02,emea,1,0,,0\nA1,2025-02,amer,1,0,,0\n"
        let (cube, _) = try load(csv, sort: "[period, account_id]")
        #expect(try rows(cube).map { "\($0[1]) \($0[0])" } == ["2025-01 A1", "2025-02 A1", "2025-02 A2", "2025-03 A1"])
    }

    @Test func alreadySortedInputKeepsItsRowGroups() throws {
        let (cube, report) = try load(facts(accounts: 20, months: 4, byMonth: false), sort: "[account_id, period]", rowGroupSize: 8)
        #expect(report.sortKey == ["account_id", "period"])
        #expect(cube.store.rowGroupSizes == Array(repeating: 8, count: 10))
        #expect(try rows(cube).first?[0] == "A1000")
    }

    @Test func inputThatLeavesKeyOrderLateIsStillSorted() throws {
        // Sorted for many row groups (compressed at once), then a late row for the first account.
        var csv = facts(accounts: 60, months: 4, byMonth: false)
        csv += "A1000,2025-05,amer,1.25,0,3,0.5\n"
        let (cube, report) = try load(csv, sort: "[account_id, period]", rowGroupSize: 8)
        #expect(report.sortKey == ["account_id", "period"])
        let stored = try rows(cube)
        #expect(stored.count == 241)
        #expect(stored[4][0] == "A1000" && stored[4][1] == "2025-05")
        #expect(stored[5][0] == "A1001" && stored[5][1] == "2025-01")
        #expect(stored.last?[0] == "A1059")
        // Every chunk carries its real statistics (first-pass chunks have none).
        #expect(cube.store.columns.filter { $0.type != .dimension }.allSatisfy { $0.chunks.allSatisfy { $0.statistics.nullCount == $0.nullCount } })
        #expect(cube.store.column(named: "nps")!.chunks.contains { $0.nullCount > 0 })
    }

    @Test func sortKeyErrorsNameTheLine() {
        let notDimension = "cube: c\ndimensions:\n  a: {}\n  p: { type: month }\nlevels:\n  q: { from: p, function: quarter }\nsort: [a, q]\nfacts:\n  x: integer\n"
        #expect(throws: CubeDefinitionError.self) { try CubeDefinition.parse(yaml: notDimension, file: "c.yaml") }
        do {
            _ = try CubeDefinition.parse(yaml: notDimension, file: "c.yaml")
        } catch {
            #expect("\(error)" == "c.yaml:7: sort names 'q', which is not a dimension of the cube: levels are computed, sort by their dimension")
        }
        do {
            _ = try CubeDefinition.parse(yaml: "cube: c\ndimensions:\n  a: {}\nsort: sideways\n", file: "c.yaml")
            Issue.record("expected an error")
        } catch {
            #expect("\(error)".hasPrefix("c.yaml:4:"))
            #expect("\(error)".contains("'sideways'"))
        }
    }

    @Test func sortKeySurvivesTheDefinitionsYAML() throws {
        var definition = try CubeDefinition.parse(yaml: cubeText(sort: "[region, account_id]"), file: "t.yaml")
        #expect(definition.sortKey == .columns(["region", "account_id"]))
        #expect(try CubeDefinition.parse(yaml: definition.yamlText, file: "again").sortKey == .columns(["region", "account_id"]))
        definition.sortKey = .none
        #expect(try CubeDefinition.parse(yaml: definition.yamlText, file: "again").sortKey == SortKey.none)
    }
}
