import Foundation
import Testing

@Suite struct BatchModeTests {
    @Test func dotCommandsRunFromACommandLine() throws {
        let run = try CLI.runOnSmallFacts(["-c", ".cubes\n.mode csv\n.mode"])
        #expect(run.status == 0)
        #expect(run.standardOutput == "subscriptions  2,000 rows  (\(CLI.smallFacts))\nmode: csv\n")
        #expect(run.standardError == "")
    }

    @Test func aSyntaxErrorNamesScriptLineAndColumnAndStops() throws {
        let directory = try CLI.temporaryDirectory()
        let script = directory + "/report.cq"
        try """
            -- weekly report
            .mode csv

            .cubes
            SELECT segment
              FROM WHERE;
            .cubes
            """.write(toFile: script, atomically: true, encoding: .utf8)
        let run = try CLI.runOnSmallFacts(["-f", script])
        #expect(run.status == 1)
        #expect(run.standardOutput == "subscriptions  2,000 rows  (\(CLI.smallFacts))\n")
        #expect(run.standardError == """
            \(script):6:8: error: expected a cube name after 'FROM', found 'WHERE'
              FROM WHERE
                   ^~~~~

            """)
    }

    @Test func anUnclosedQuoteIsNamedWhereItOpens() throws {
        let open = try CLI.runOnSmallFacts(["-c", ".cubes\nSELECT region, customers\n FROM subscriptions WHERE plan = 'pro GROUP BY region;"])
        #expect(open.status == 1)
        #expect(open.standardError == """
            command-line:3:34: error: unterminated string starting at 3:34
             FROM subscriptions WHERE plan = 'pro GROUP BY region;
                                             ^~~~~~~~~~~~~~~~~~~~~

            """)
        // Closed a line later, the quote makes a misleading error: a note points at it.
        let closed = try CLI.runOnSmallFacts(["-c", "SELECT region, customers FROM subscriptions WHERE plan = 'pro GROUP BY region\n';"])
        #expect(closed.status == 1)
        #expect(closed.standardError.hasSuffix("""
            note: the string starting at 1:58 runs across lines; is a closing quote missing there?

            """))
    }

    @Test func continueOnErrorRunsTheRestButStillFails() throws {
        let run = try CLI.runOnSmallFacts(["--continue-on-error", "-c", ".nonsense\n.cubes"])
        #expect(run.status == 1)
        #expect(run.standardOutput.hasPrefix("subscriptions  2,000 rows"))
        #expect(run.standardError == "command-line:1:1: error: unknown command '.nonsense' (.help lists them)\n")
    }

    @Test func aHugeUnknownDotCommandIsRefusedAtOnceAndShownShort() throws {
        let command = "." + String(repeating: "x", count: 100_000)
        let run = try CLI.runOnSmallFacts(["-c", command])
        #expect(run.status == 1)
        #expect(run.standardError == "command-line:1:1: error: unknown command '.\(String(repeating: "x", count: 63))…' (.help lists them)\n")
    }

    @Test func dotCommandsRefuseExtraArguments() throws {
        let run = try CLI.runOnSmallFacts(["--continue-on-error", "-c", ".mode csv extra\n.mode\n.cubes now\n.timer on off\n.output a b"])
        #expect(run.status == 1)
        #expect(run.standardOutput == "mode: table\n")
        #expect(run.standardError == """
            command-line:1:1: error: .mode does not take 'extra'; usage: .mode table|csv|json|markdown|line|heatmap
            command-line:3:1: error: .cubes does not take 'now'; usage: .cubes
            command-line:4:1: error: .timer does not take 'off'; usage: .timer on|off
            command-line:5:1: error: .output does not take 'b'; usage: .output [file]

            """)
    }

    @Test func statementsFromAPipe() throws {
        let run = try CLI.runOnSmallFacts([], input: ".mode json\n.mode\n.quit\n.cubes\n")
        #expect(run.status == 0)
        #expect(run.standardOutput == "mode: json\n")
    }

    @Test func badCommandLineAndMissingDataExitWith2() throws {
        let bad = try CLI.run(["--format", "pdf", "-c", ".cubes"])
        #expect(bad.status == 2)
        #expect(bad.standardError.contains("The value 'pdf' is invalid for '--format <format>'"))
        let missing = try CLI.run(["no-such-file.csv", "-c", ".cubes"])
        #expect(missing.status == 2)
        #expect(missing.standardError == "churncube: no-such-file.csv: no such file\n")
    }

    @Test func aTextFileNamedAsASnapshotIsRefusedLikeInfoRefusesIt() throws {
        let directory = try CLI.temporaryDirectory()
        let path = directory + "/x.ccube"
        try "hello world\nfoo\n".write(toFile: path, atomically: true, encoding: .utf8)
        let message = "churncube: \(path): not a ChurnCube snapshot (it does not start with the snapshot signature)\n"
        let opened = try CLI.run([path, "-c", ".cubes"])
        #expect(opened.status == 2)
        #expect(opened.standardOutput == "")
        #expect(opened.standardError == message)
        let info = try CLI.run(["info", path])
        #expect(info.status == 2)
        #expect(info.standardError == message)
        let reopened = try CLI.runOnSmallFacts(["-c", ".open \(path)"])
        #expect(reopened.status == 1)
        #expect(reopened.standardError == "command-line:1:1: error: \(path): not a ChurnCube snapshot (it does not start with the snapshot signature)\n")
    }

    @Test func ingestInfoAndAppendRefuseMissingAndForeignFilesWith2() throws {
        let directory = try CLI.temporaryDirectory()
        let snapshot = directory + "/subs.ccube"
        let saved = try CLI.runOnSmallFacts(["-c", ".save \(snapshot)"])
        #expect(saved.status == 0, "\(saved.standardError)")
        let runs: [([String], String)] = [
            (["info", directory + "/none.ccube"], "churncube: \(directory)/none.ccube: no such file\n"),
            (["info", CLI.smallFacts], "churncube: \(CLI.smallFacts): not a ChurnCube snapshot (it does not start with the snapshot signature)\n"),
            (["ingest", directory + "/none.csv"], "churncube: \(directory)/none.csv: no such file\n"),
            (["ingest", snapshot], "churncube: \(snapshot): a ChurnCube snapshot, not a CSV file; open it with 'churncube \(snapshot)' or describe it with 'churncube info \(snapshot)'\n"),
            (["append", snapshot, directory + "/none.csv"], "churncube: \(directory)/none.csv: no such file\n"),
            (["append", CLI.smallFacts, CLI.smallFacts], "churncube: \(CLI.smallFacts): not a ChurnCube snapshot (it does not start with the snapshot signature)\n"),
        ]
        for (arguments, message) in runs {
            let run = try CLI.run(arguments)
            #expect(run.status == 2, "\(arguments)")
            #expect(run.standardError == message, "\(arguments)")
        }
    }

    @Test func versionAndHelpShowWhatIsAccepted() throws {
        let version = try CLI.run(["--version"])
        #expect(version.status == 0)
        #expect(version.standardOutput.wholeMatch(of: /churncube \d+\.\d+\.\d+\n/) != nil)
        let help = try CLI.run(["--help"])
        #expect(help.status == 0)
        let text = help.standardOutput
        for part in ["USAGE: churncube [<data>] [--cube <path>] [--engine <sc://host:port>] [--table <name>] [--file <script.cq>] [--command <statements>] [--format <format>] [--timer]",
                     "       churncube <subcommand>", "-f, --file <script.cq>", "-c, --command <statements>",
                     "values: table, csv, json, markdown, line,", "'Run Time: <seconds> s, <N> rows'", "--version",
                     "shell (default)", "ingest", "info"] {
            #expect(text.contains(part), "missing '\(part)' in\n\(text)")
        }
        // Every mode .mode takes, --format takes too.
        for mode in ["line", "heatmap"] {
            let run = try CLI.runOnSmallFacts(["--format", mode, "-c", ".mode"])
            #expect(run.status == 0)
            #expect(run.standardOutput == "mode: \(mode)\n")
        }
        let statements = try CLI.runOnSmallFacts(["-c", ".help"])
        #expect(statements.standardOutput.contains("  HOTSPOTS measure [FROM cube] [WHERE condition] BY dimension, ... | BY * [DEPTH n] [MIN SUPPORT n]\n"))
        #expect(statements.standardOutput.contains("  DRILL measure [FROM cube] [WHERE condition] TO dimension = 'member' [AND ...]\n"))
    }

    @Test func dotCommandsEndAtASemicolonAndExpandTheHomeDirectory() throws {
        let home = try CLI.temporaryDirectory()
        let saved = try CLI.runOnSmallFacts(["-c", ".save \(home)/x.ccube"])
        #expect(saved.status == 0)
        let run = try CLI.runOnSmallFacts(["-c", ".open ~/x.ccube; .mode csv; SELECT COUNT(*) AS n FROM subscriptions;"],
                                          environment: ["HOME": home])
        #expect(run.status == 0, "\(run.standardError)")
        #expect(run.standardOutput.hasPrefix("opened cube 'subscriptions': 2,000 rows from \(home)/x.ccube in "))
        #expect(run.standardOutput.hasSuffix(" s\nn\n2000\n"))
    }

    @Test func timerPrintsRunTimeOnStandardErrorPerStatement() throws {
        let run = try CLI.runOnSmallFacts(["--timer", "-c", "SELECT region, COUNT(*) GROUP BY region; SELECT nonsense FROM;"])
        #expect(run.status == 1)
        let timing = run.standardError.split(separator: "\n").filter { $0.hasPrefix("Run Time: ") }
        #expect(timing.count == 2)
        #expect(timing.first?.wholeMatch(of: /Run Time: \d+\.\d{6} s, \d+ rows?/) != nil)
        #expect(timing.last?.wholeMatch(of: /Run Time: \d+\.\d{6} s/) != nil)
    }

    @Test func outputRedirectsResultsToAFile() throws {
        let directory = try CLI.temporaryDirectory()
        let run = try CLI.runOnSmallFacts(["-c", ".output \(directory)/out.txt\n.cubes\n.output\n.mode"])
        #expect(run.status == 0)
        #expect(run.standardOutput == "mode: table\n")
        let written = try String(contentsOfFile: directory + "/out.txt", encoding: .utf8)
        #expect(written.hasPrefix("subscriptions  2,000 rows"))
    }

    @Test func describeListsTheCubeFromItsDefinition() throws {
        let run = try CLI.runOnSmallFacts(["-c", ".describe subscriptions"])
        #expect(run.status == 0)
        let lines = run.standardOutput.split(separator: "\n").map(String.init)
        #expect(lines.first == "cube subscriptions: 2,000 rows — Customer-month facts of a SaaS business, for churn and revenue analysis")
        #expect(lines.contains("segment        text           3  company size"))
        #expect(lines.contains("geography    region > country"))
        let wrong = try CLI.runOnSmallFacts(["-c", ".describe nope"])
        #expect(wrong.status == 1)
        #expect(wrong.standardError == "command-line:1:1: error: no cube named 'nope'; the open cube is 'subscriptions'\n")
    }

    @Test func saveWritesASnapshotThatOpensLikeTheCSV() throws {
        let directory = try CLI.temporaryDirectory()
        let saved = try CLI.runOnSmallFacts(["-c", ".save \(directory)/a.ccube\nSAVE '\(directory)/b.ccube';"])
        #expect(saved.status == 0, "\(saved.standardError)")
        #expect(saved.standardOutput.hasPrefix("saved cube 'subscriptions' to \(directory)/a.ccube\n"))
        let query = ".mode csv\nSELECT segment, customers FROM subscriptions GROUP BY segment ORDER BY segment;"
        let fromCSV = try CLI.runOnSmallFacts(["-c", query])
        let fromSnapshot = try CLI.run([directory + "/a.ccube", "-c", query])
        let reopened = try CLI.runOnSmallFacts(["-c", ".open \(directory)/b.ccube\n" + query])
        #expect(fromSnapshot.status == 0)
        #expect(fromSnapshot.standardOutput == fromCSV.standardOutput)
        #expect(reopened.standardOutput.hasSuffix(fromCSV.standardOutput))
    }
}

@Suite struct BatchQueryTests {
    /// Rows per segment counted straight from the facts file.
    static func segmentCounts() throws -> [(String, Int)] {
        let text = try String(contentsOfFile: CLI.smallFacts, encoding: .utf8)
        let lines = text.split(separator: "\n")
        let column = try #require(lines[0].split(separator: ",").firstIndex(of: "segment"))
        var counts: [String: Int] = [:]
        for line in lines.dropFirst() { counts[String(line.split(separator: ",", omittingEmptySubsequences: false)[column]), default: 0] += 1 }
        return counts.sorted { $0.key < $1.key }
    }

    @Test func csvPrintsRawValuesExactly() throws {
        let counts = try Self.segmentCounts()
        let run = try CLI.runOnSmallFacts(["--format", "csv", "-c", "SELECT segment, customers FROM subscriptions GROUP BY segment ORDER BY segment;"])
        #expect(run.status == 0)
        #expect(run.standardOutput == "segment,customers\n" + counts.map { "\($0.0),\($0.1)\n" }.joined())
    }

    @Test func tableFromStandardInputWithRollup() throws {
        let counts = try Self.segmentCounts()
        let total = counts.reduce(0) { $0 + $1.1 }
        let run = try CLI.runOnSmallFacts([], input: """
            -- segments and the total
            SELECT segment, customers
              FROM subscriptions
             GROUP BY ROLLUP(segment)
             ORDER BY segment;
            """)
        #expect(run.status == 0)
        let lines = run.standardOutput.split(separator: "\n").map(String.init)
        #expect(lines[0] == "segment     customers")
        #expect(lines[1] == "----------  ---------")
        #expect(lines.last?.hasPrefix("(all)           \(NumberText(total))") == true)
        #expect(lines.count == 2 + counts.count + 1)
    }

    @Test func engineErrorsPointIntoTheScript() throws {
        let run = try CLI.runOnSmallFacts(["-c", ".mode csv\nSELECT regon FROM subscriptions;"])
        #expect(run.status == 1)
        #expect(run.standardError == """
            command-line:2:8: error: unknown column 'regon'; did you mean 'region'?
            SELECT regon FROM subscriptions
                   ^~~~~

            """)
    }

    @Test func aValueThatIsNoMemberWarnsOnStandardErrorAndStillAnswers() throws {
        let run = try CLI.runOnSmallFacts(["--format", "csv", "-c", """
            SELECT region, customers FROM subscriptions
             WHERE region IN ('amer', 'Emea') GROUP BY region;
            SELECT customers FROM subscriptions WHERE period = '2025-13';
            """])
        #expect(run.status == 0)
        #expect(run.standardOutput.hasPrefix("region,customers\namer,"))
        #expect(run.standardOutput.hasSuffix("customers\n0\n"))
        #expect(run.standardError.hasPrefix("""
            command-line:2:27: warning: region has no member 'Emea'; did you mean 'emea'?
             WHERE region IN ('amer', 'Emea') GROUP BY region
                                      ^~~~~~
            command-line:3:52: warning: period has no member '2025-13'; its months run from '
            """))
    }

    private func NumberText(_ value: Int) -> String {
        value.formatted(.number.grouping(.automatic).locale(Locale(identifier: "en_US")))
    }
}

@Suite struct BatchInterruptTests {
    @Test func ctrlCStopsAHotspotSearchAtOnceWithStatus130() throws {
        let snapshot = CLI.sampleSnapshot
        // Interrupted in the scan, in building the lattice and in fitting expected rates.
        for wait in [0.2, 1.5, 4.0] {
            let (process, output, error) = try CLI.start([snapshot, "-c", ".cubes\n\(CLI.longHotspots)\n.cubes"])
            // The first .cubes shows the cube is open and the handler installed.
            var outputText = String(decoding: output.fileHandleForReading.availableData, as: UTF8.self)
            Thread.sleep(forTimeInterval: wait)
            let interrupted = ContinuousClock.now
            process.interrupt()
            process.waitUntilExit()
            let delay = ContinuousClock.now - interrupted
            outputText += String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            let errorText = String(decoding: error.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            #expect(process.terminationStatus == 130, "after \(wait) s")
            #expect(delay < .seconds(1), "interrupted after \(wait) s, exited \(delay) later")
            #expect(errorText == "command-line:2:1: cancelled\n")
            #expect(outputText == "subscriptions  200,000 rows  (\(snapshot))\n")
        }
    }


    @Test func ctrlCStopsTheScriptWithStatus130() throws {
        let (process, output, error) = try CLI.start(
            [CLI.smallFacts, "--cube", CLI.cubeDefinition, "-c", ".cubes\nSELECT segment FROM subscriptions GROUP BY segment; .cubes"],
            environment: ["CHURNCUBE_TEST_STATEMENT_DELAY": "30"])
        // The first .cubes shows the data is loaded and the handler installed; then interrupt.
        var outputText = String(decoding: output.fileHandleForReading.availableData, as: UTF8.self)
        Thread.sleep(forTimeInterval: 0.3)
        process.interrupt()
        let errorText = String(decoding: error.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        outputText += String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 130)
        #expect(errorText == "command-line:2:1: cancelled\n")
        #expect(outputText == "subscriptions  2,000 rows  (\(CLI.smallFacts))\n")
    }
}

@Suite struct CountGrammarTests {
    @Test func oneOfAThingIsSingular() throws {
        let directory = try CLI.temporaryDirectory()
        let facts = directory + "/one.csv"
        try "account_id,region,churned\nA1,amer,1\nA2,emea\n".write(toFile: facts, atomically: true, encoding: .utf8)
        let ingest = try CLI.run(["ingest", facts, "--skip-bad-rows", "--out", directory + "/one.ccube"])
        #expect(ingest.status == 0, "\(ingest.standardError)")
        let lines = ingest.standardOutput.split(separator: "\n").map(String.init)
        #expect(lines.first?.hasPrefix("\(facts): 1 row, 3 columns of cube 'one' loaded in ") == true)
        #expect(lines.contains("skipped 1 bad row; the first:"))
        #expect(lines.contains { $0.hasPrefix("total ") && $0.hasSuffix("  1 row group") })

        let shell = try CLI.run([directory + "/one.ccube", "-c", ".cubes\n.stats"])
        #expect(shell.status == 0, "\(shell.standardError)")
        #expect(shell.standardOutput.hasPrefix("one  1 row  ("))
        #expect(shell.standardOutput.contains("cube one: 1 row in 1 row group\n"))
        let info = try CLI.run(["info", directory + "/one.ccube"])
        #expect(info.standardOutput.contains("cube 'one': 1 row in 1 row group, 3 columns\n"), "\(info.standardOutput)")
        let describe = try CLI.run([directory + "/one.ccube", "-c", "DESCRIBE;"])
        #expect(describe.standardOutput.hasPrefix("cube one: 1 row, 3 columns\n"))
        #expect(describe.standardOutput.contains("text, 1 value"))
    }
}
