import ChurnGenerator
import ChurnIngest
import ChurnQuery
import Foundation
import Testing

/// On generated data whose effects are documented (Samples/README.md), a rule on a planted
/// cause predicts churn and a rule on something the generator leaves alone does not.
@Suite struct BacktestTruthTests {
    @Test func aPlantedCausePredictsChurnAndAnUnrelatedConditionDoesNot() throws {
        let directory = try DifferentialTests.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let csvPath = directory + "/facts.csv"
        #expect(FileManager.default.createFile(atPath: csvPath, contents: Data(FactGenerator(options: GeneratorOptions(rows: 200_000, seed: 3)).bytes())))
        let (cube, _) = try CSVLoader.load(path: csvPath, options: IngestOptions(cubePath: PackagePaths.path("Cubes/subscriptions.yaml")))
        let engine = try QueryEngine(cube: cube)
        func totalLift(_ condition: String) throws -> (lift: Double, low: Double, high: Double) {
            let result = try engine.execute("BACKTEST WHEN \(condition) HORIZON 3")
            let total = try #require(result.rows.last)
            #expect(total[0] == .null)
            return (total[5].doubleValue ?? .nan, total[8].doubleValue ?? .nan, total[9].doubleValue ?? .nan)
        }
        // Red health multiplies the hazard by 2.5 (and tends to persist).
        let red = try totalLift("health = 'red'")
        #expect(red.lift > 1.8 && red.low > 1.5, "\(red)")
        // Executive contact plays no part in the generator's hazard (it follows the segment, so
        // the lift is near 1 but not exactly).
        let contact = try totalLift("days_since_exec_contact > 60")
        #expect(abs(contact.lift - 1) < 0.1 && contact.high < 1.2, "\(contact)")
    }
}
