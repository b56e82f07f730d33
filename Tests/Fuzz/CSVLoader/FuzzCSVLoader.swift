import ChurnIngest
import ChurnModel
import ChurnQuery
import Foundation

/// A scratch directory of this process, with the cube definition the fuzzed files load into.
private let scratch: String = {
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("churncube-fuzz-csv-\(getpid())").path
    try! FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    try! """
    cube: fuzz
    dimensions:
      account_id: {}
      period: { type: month }
      region: {}
    levels:
      quarter: { from: period, function: quarter }
    sort: [account_id, period]
    facts:
      mrr: money
      churned: flag
      logins: integer
      usage: double
    measures:
      customers: { formula: COUNT(*), format: count, additivity: additive }
      churn_rate: { formula: SUM(churned) / COUNT(*), format: percent, additivity: non-additive }
      mrr_total: { formula: SUM(mrr), format: money, additivity: semi-additive, over: period }

    """.write(toFile: path + "/fuzz.yaml", atomically: false, encoding: .utf8)
    return path
}()

private let queries = [
    "SELECT region, quarter, customers, churn_rate, mrr_total, COUNT(DISTINCT account_id), MIN(usage), MAX(logins) FROM fuzz GROUP BY CUBE(region, quarter)",
    "SELECT * FROM fuzz WHERE region LIKE '%a%' OR mrr > 10.5 OR logins IS NULL ORDER BY account_id, period DESC LIMIT 20",
    "SELECT account_id, SUM(logins + 1) AS v FROM fuzz WHERE churned = 1 OR usage < 0.5 GROUP BY account_id ORDER BY v DESC, account_id LIMIT 5",
]

/// libFuzzer entry: the bytes as a CSV file (a zstd frame when they start with its magic),
/// loaded into a small cube with tiny blocks and row groups, then appended to itself and loaded
/// again with an inferred schema; whatever loads is queried. Loads may fail; nothing may crash.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzCSVLoader(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = UnsafeBufferPointer(start: data, count: size)
    let isZstd = bytes.starts(with: [0x28, 0xB5, 0x2F, 0xFD])
    let path = scratch + (isZstd ? "/facts.csv.zst" : "/facts.csv")
    FileManager.default.createFile(atPath: path, contents: Data(bytes))
    defer { try? FileManager.default.removeItem(atPath: path) }

    var options = IngestOptions(cubePath: scratch + "/fuzz.yaml", skipBadRows: size % 2 == 0)
    // Blocks and row groups small enough that records straddle blocks and chunks hold few rows.
    options.blockSize = [64, 777, 1 << 16][size % 3]
    options.rowGroupSize = [3, 64, 1000][size % 3]
    if let (cube, _) = try? CSVLoader.load(path: path, options: options) {
        run(cube)
        var again = options
        again.continuing = cube
        if let (addition, _) = try? CSVLoader.load(path: path, options: again) { run(addition) }
    }
    var inferred = IngestOptions(skipBadRows: true)
    inferred.blockSize = 128
    inferred.rowGroupSize = 5
    if let (cube, _) = try? CSVLoader.load(path: path, options: inferred), let engine = try? QueryEngine(cube: cube) {
        _ = try? engine.execute("SELECT * FROM \(cube.definition.name) LIMIT 50")
    }
    return 0
}

private func run(_ cube: Cube) {
    guard let engine = try? QueryEngine(cube: cube) else { return }
    for query in queries { _ = try? engine.execute(query) }
}
