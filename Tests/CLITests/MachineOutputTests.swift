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
        let rows = try #require(try JSONSerialization.jsonObject(with: Data(run.standardOutput.utf8)) as? [[String: Any]])
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
