import Foundation
import Testing

/// The scripts in Samples/ that a scheduled job runs must run clean against the sample cube.
@Suite struct SampleScriptTests {
    static let scripts = ["weekly-hotspots.cq", "nrr-by-tier-region.cq", "renewal-pool-at-risk.cq"]

    @Test(arguments: scripts) func runsCleanOnTheSampleCube(script: String) throws {
        let run = try CLI.run(["-f", "Samples/" + script, "--format", "csv"])
        #expect(run.status == 0, "\(run.standardError)")
        #expect(run.standardError == "")
        let lines = run.standardOutput.split(separator: "\n")
        #expect(lines.count > 5)
        #expect(lines.allSatisfy { !$0.hasPrefix("error") })
    }
}
