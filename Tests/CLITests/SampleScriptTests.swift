import Foundation
import Testing

/// The scripts in Samples/ that a scheduled job runs must run clean against the sample cube and
/// write what their header promises: files a spreadsheet opens, or one Markdown document.
@Suite struct SampleScriptTests {
    static let csvScripts: [(script: String, files: [String])] = [
        ("weekly-hotspots.cq", ["hotspots.csv", "hotspots-vs-parent.csv", "churn-by-month.csv", "channel-by-segment.csv", "usage-patterns.csv"]),
        ("renewal-pool-at-risk.cq", ["renewals-due.csv", "renewals-at-risk.csv", "at-risk-by-health.csv", "at-risk-revenue.csv"]),
        ("early-warning.cq", ["alerts.csv", "rule-backtests.csv", "health-check.csv", "logins-check.csv"]),
    ]

    @Test(arguments: csvScripts.indices) func writesOneCSVTablePerFile(index: Int) throws {
        let (script, files) = Self.csvScripts[index]
        let directory = try CLI.temporaryDirectory()
        let run = try CLI.run(["-f", CLI.packageRoot + "/Samples/" + script], directory: directory)
        #expect(run.status == 0, "\(run.standardError)")
        #expect(run.standardOutput == "")
        #expect(!run.standardError.contains("error"), "\(run.standardError)")
        let written = try FileManager.default.contentsOfDirectory(atPath: directory).sorted()
        #expect(written == files.sorted())
        for file in files {
            let tables = try StrictCSV.tables(try String(contentsOfFile: directory + "/" + file, encoding: .utf8))
            #expect(tables.count == 1, "\(file) holds \(tables.count) tables")
            #expect((tables.first?.records.count ?? 0) > 0, "\(file) has no rows")
        }
    }

    @Test func theMarkdownReportHoldsSeparateTables() throws {
        let run = try CLI.run(["-f", "Samples/nrr-by-tier-region.cq", "--format", "markdown"])
        #expect(run.status == 0, "\(run.standardError)")
        #expect(run.standardError == "")
        // Each table (header, rule, rows) stands after an empty line, so none runs into the next.
        let blocks = run.standardOutput.components(separatedBy: "\n\n")
        let tables = blocks.filter { $0.hasPrefix("|") }
        #expect(tables.count == 3)
        for table in tables {
            let lines = table.split(separator: "\n")
            #expect(lines.count > 2)
            #expect(lines.allSatisfy { $0.hasPrefix("|") && $0.hasSuffix("|") })
            #expect(lines[1].allSatisfy { "|-: ".contains($0) })
        }
    }
}
