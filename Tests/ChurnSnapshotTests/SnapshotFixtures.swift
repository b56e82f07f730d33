import ChurnIngest
import ChurnModel
import ChurnStorage
import Foundation

/// A temporary directory, removed with the object.
final class Scratch {
    let directory: String

    init() {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("churncube-snapshot-\(UUID().uuidString)").path
        try! FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(atPath: directory) }

    func path(_ name: String) -> String { directory + "/" + name }

    @discardableResult
    func write(_ name: String, _ bytes: [UInt8]) -> String {
        let target = path(name)
        _ = FileManager.default.createFile(atPath: target, contents: Data(bytes))
        return target
    }

    @discardableResult
    func write(_ name: String, _ text: String) -> String { write(name, Array(text.utf8)) }

    func read(_ name: String) -> [UInt8] { [UInt8](FileManager.default.contents(atPath: path(name)) ?? Data()) }

    var fileNames: [String] { (try? FileManager.default.contentsOfDirectory(atPath: directory))?.sorted() ?? [] }
}

let smallCube = """
cube: small
description: "a cube for snapshot tests: quotes \\" and colons"
dimensions:
  account_id: {}
  period: { type: month }
  region: { description: sales region }
levels:
  year: { from: period, function: year }
hierarchies:
  time: [year, period]
facts:
  mrr_start: money
  churned: flag
  nps: integer
  score: double
measures:
  churn:
    formula: SUM(churned) / COUNT(*)
    format: percent
    additivity: non-additive
  mrr:
    formula: SUM(mrr_start)
    format: money
    additivity: semi-additive
    over: period
"""

/// CSV rows `first..<first + count` of a deterministic fact table: repeating patterns so some
/// chunks compress, NULLs in `nps` and `region`, several encodings.
func factRows(_ range: Range<Int>, regions: [String] = ["amer", "emea", "apac"]) -> String {
    var lines: [String] = []
    for row in range {
        let account = "A\(row / 3)"
        let period = "2025-\(String(format: "%02d", row % 12 + 1))"
        let region = row % 17 == 5 ? "" : regions[row / 7 % regions.count]
        let mrr = [100_000.25, 2_500_000.50, 12.75, 999_999.99, 4_000_000.00][row % 5]
        let churned = row % 23 == 0 ? 1 : 0
        let nps = row % 4 == 0 ? "" : "\(row % 11)"
        let score = Double(row % 9) * 0.5 + 0.125
        lines.append("\(account),\(period),\(region),\(String(format: "%.2f", mrr)),\(churned),\(nps),\(score)")
    }
    return lines.joined(separator: "\n") + "\n"
}

let factHeader = "account_id,period,region,mrr_start,churned,nps,score\n"

/// Loads `csv` with the small cube (or with `continuing`'s definition and dictionaries).
func loadCube(_ csv: String, in scratch: Scratch, name: String = "facts.csv", cube: String? = smallCube,
              rowGroupSize: Int = 64, continuing: Cube? = nil) throws -> Cube {
    let csvPath = scratch.write(name, csv)
    var options = IngestOptions(cubePath: cube.map { scratch.write("cube.yaml", $0) })
    options.rowGroupSize = rowGroupSize
    options.continuing = continuing
    return try CSVLoader.load(path: csvPath, options: options).0
}

/// Every column's decoded values, by column name.
func allValues(_ cube: Cube) throws -> [String: [StoredValue?]] {
    var result: [String: [StoredValue?]] = [:]
    for column in cube.store.columns { result[column.name] = try column.decodeAllValues() }
    return result
}
