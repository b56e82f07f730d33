import ChurnGenerator
import ChurnIngest
import ChurnQuery
import Foundation

/// A cube loaded from a CSV that both engines read: ChurnCube's engine over it, the CSV's path
/// for DuckDB, and the schema the oracle reads the CSV by. The differential tests of the time
/// and account statements start from one.
struct OracleCube {
    let engine: QueryEngine
    let csv: String
    let schema: DifferentialSchema

    /// Generated subscriptions facts in `order`, loaded with row groups of `rowGroupSize`.
    static func generated(in directory: String, rows: Int, seed: UInt64, order: RowOrder, rowGroupSize: Int,
                          groupable: [String] = ["region"]) throws -> OracleCube {
        let csv = directory + "/facts.csv"
        guard FileManager.default.createFile(atPath: csv, contents: Data(FactGenerator(options: GeneratorOptions(rows: rows, seed: seed, order: order)).bytes())) else {
            throw CocoaError(.fileWriteUnknown)
        }
        var options = IngestOptions(cubePath: PackagePaths.path("Cubes/subscriptions.yaml"))
        options.rowGroupSize = rowGroupSize
        let (cube, _) = try CSVLoader.load(path: csv, options: options)
        let schema = try DifferentialSchema(cube: cube, groupable: groupable, wideDimension: "account_id", rowKey: ["account_id", "period"],
                                            columnValues: [:], seed: 1)
        return OracleCube(engine: try QueryEngine(cube: cube), csv: csv, schema: schema)
    }

    /// The odd data set (NULL members, quotes, unicode, NULL and extreme facts) of `accounts`
    /// accounts, written in `order` (shuffled by `csvSeed`), sorted by `sort`.
    static func odd(in directory: String, seed: UInt64, accounts: Int, order: RowOrder, csvSeed: UInt64, sort: String,
                    rowGroupSize: Int = 64, groupable: [String] = ["region"]) throws -> OracleCube {
        let facts = OddFacts(seed: seed, accounts: accounts)
        let csv = directory + "/odd.csv", cubePath = directory + "/odd.yaml"
        try facts.csv(order: order, seed: csvSeed).write(toFile: csv, atomically: false, encoding: .utf8)
        try OddFacts.definition(sort: sort).write(toFile: cubePath, atomically: false, encoding: .utf8)
        var options = IngestOptions(cubePath: cubePath)
        options.rowGroupSize = rowGroupSize
        let (cube, _) = try CSVLoader.load(path: csv, options: options)
        var values: [String: [String]] = [:]
        for column in OddFacts.header { values[column] = facts.values(of: column) }
        let schema = try DifferentialSchema(cube: cube, groupable: groupable, wideDimension: "account_id", rowKey: ["account_id", "period"],
                                            columnValues: values, seed: 1)
        return OracleCube(engine: try QueryEngine(cube: cube), csv: csv, schema: schema)
    }
}
