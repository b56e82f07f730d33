import Foundation
import Testing

/// `ingest --out` and `append` as a scheduled job runs them: against files other processes may be
/// writing, through links, with permissions to keep.
@Suite struct SnapshotCommandTests {
    /// A fresh directory with `subs.ccube` (the 2,000 small facts) and `a.csv`, `b.csv` of 100 rows each.
    private static func snapshotAndBatches() throws -> String {
        let directory = try CLI.temporaryDirectory()
        let ingest = try CLI.run(["ingest", CLI.smallFacts, "--cube", CLI.cubeDefinition, "--out", directory + "/subs.ccube"])
        #expect(ingest.status == 0, "\(ingest.standardError)")
        for (name, seed) in [("a", "3"), ("b", "4")] {
            let generate = try CLI.run(["generate", "--rows", "100", "--seed", seed, "--out", directory + "/\(name).csv"])
            #expect(generate.status == 0, "\(generate.standardError)")
        }
        return directory
    }

    private static func rowCount(_ snapshot: String) throws -> Int? {
        let info = try CLI.run(["info", snapshot, "--format", "json"])
        let object = try JSONSerialization.jsonObject(with: Data(info.standardOutput.utf8)) as? [String: Any]
        return object?["rows"] as? Int
    }

    @Test func twoAppendsAtOnceBothLand() throws {
        let directory = try Self.snapshotAndBatches()
        let snapshot = directory + "/subs.ccube"
        // Each append waits a second between reading the snapshot and writing it back.
        let runs = try CLI.runTogether([["append", snapshot, directory + "/a.csv"], ["append", snapshot, directory + "/b.csv"]],
                                       environment: ["CHURNCUBE_TEST_APPEND_DELAY": "1"])
        #expect(runs.map(\.status) == [0, 0], "\(runs.map(\.standardError))")
        #expect(try Self.rowCount(snapshot) == 2_200)
        let held = runs.map { $0.standardOutput.split(separator: "\n").first { $0.hasPrefix("appended 100 rows") }.map(String.init) }
        #expect(Set(held) == ["appended 100 rows: \(snapshot) now holds 2,100 rows", "appended 100 rows: \(snapshot) now holds 2,200 rows"])
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory).sorted() == ["a.csv", "b.csv", "subs.ccube"])
    }

    @Test func appendThroughALinkReplacesItsTargetWithItsPermissions() throws {
        let directory = try Self.snapshotAndBatches()
        let snapshot = directory + "/subs.ccube"
        #expect(chmod(snapshot, 0o600) == 0)
        try FileManager.default.createSymbolicLink(atPath: directory + "/latest.ccube", withDestinationPath: "subs.ccube")
        let run = try CLI.run(["append", directory + "/latest.ccube", directory + "/a.csv"])
        #expect(run.status == 0, "\(run.standardError)")
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: directory + "/latest.ccube") == "subs.ccube")
        #expect(try Self.rowCount(snapshot) == 2_100)
        #expect(try FileManager.default.attributesOfItem(atPath: snapshot)[.posixPermissions] as? Int == 0o600)
    }
}
