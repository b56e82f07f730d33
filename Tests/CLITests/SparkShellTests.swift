import ChurnModel
import ChurnSpark
import Foundation
import SparkTestSupport
import Testing

/// The shell on a cube that lives in Spark, in a tmux terminal: its answers are those of the
/// same data in memory, a progress line shows while Spark works, and Ctrl-C stops the Spark
/// operation and leaves the shell ready for the next statement.
@Suite(.serialized, .enabled(if: SparkTestEnvironment.isEnabled, Comment(rawValue: SparkTestEnvironment.skipReason)))
struct SparkShellTests {
    /// Catalog tables, since the shell opens a Spark session of its own: the facts, and a view of
    /// them whose `mrr_start` takes Spark a long time per row (a sum over a long sequence, times 0),
    /// so that a statement reading it runs long enough to be interrupted. Opening the cube reads
    /// the dimensions and a count, not `mrr_start`.
    struct Tables {
        let facts: String
        let slow: String
        let url: String

        init(url: String) throws {
            let suffix = UUID().uuidString.prefix(8).lowercased()
            (self.url, facts, slow) = (url, "shell_facts_\(suffix)", "shell_slow_\(suffix)")
            let definition = try CubeDefinition.load(path: CLI.cubeDefinition)
            let header = try String(contentsOfFile: CLI.smallFacts, encoding: .utf8).prefix { $0 != "\n" }.split(separator: ",").map(String.init)
            let columns = header.map { $0 == "mrr_start"
                ? "CAST(mrr_start + aggregate(sequence(1, 2000000), 0L, (total, x) -> total + x) * 0 AS DECIMAL(19, 2)) AS mrr_start"
                : "`\($0)`" }
            let statements = [
                try SparkCSVView.statement(view: facts, csvPath: CLI.smallFacts, definition: definition, persistent: true),
                "CREATE VIEW \(slow) AS SELECT \(columns.joined(separator: ", ")) FROM \(facts)",
            ]
            try Self.run(statements, url: url, table: facts)
        }

        func drop() {
            try? Self.run(["DROP VIEW IF EXISTS \(slow)", "DROP TABLE IF EXISTS \(facts)"], url: url, table: facts)
        }

        /// On a thread of its own, as the blocking client must be called.
        private static func run(_ statements: [String], url: String, table: String) throws {
            let done = DispatchSemaphore(value: 0)
            nonisolated(unsafe) var failure: (any Error)?
            let thread = Thread {
                defer { done.signal() }
                do {
                    let connection = try SparkConnection.open(url: url, table: table)
                    for statement in statements { _ = try connection.run(statement, cancellation: .never) }
                } catch {
                    failure = error
                }
            }
            thread.start()
            done.wait()
            if let failure { throw failure }
        }
    }

    @Test func answersMatchTheInMemoryCubeAndCtrlCStopsSpark() throws {
        let url = try #require(SparkTestEnvironment.url)
        let tables = try Tables(url: url)
        defer { tables.drop() }
        let home = try CLI.temporaryDirectory()
        let statement = "SELECT region, customers, logo_churn_rate FROM subscriptions GROUP BY region ORDER BY region;"
        let inMemory = try CLI.run([CLI.smallFacts, "--cube", CLI.cubeDefinition, "--format", "csv", "-c", statement])
        #expect(inMemory.status == 0, "\(inMemory.standardError)")
        let expected = inMemory.standardOutput.split(separator: "\n").map(String.init)
        #expect(expected.count > 2)

        let terminal = try TerminalSession(home: home, arguments: ["--engine", url, "--table", tables.slow, "--cube", CLI.cubeDefinition])
        try terminal.waitFor(timeout: 60) { TerminalSession.lines($0).last == "subscriptions>" }
        try terminal.type(".mode csv")
        try terminal.press("Enter")
        try terminal.type(statement)
        try terminal.press("Enter")
        let answered = try terminal.waitFor(timeout: 60) { screen in
            TerminalSession.lines(screen).last == "subscriptions>" && TerminalSession.lines(screen).contains(expected.last!)
        }
        let lines = TerminalSession.lines(answered)
        let start = try #require(lines.firstIndex(of: expected[0]), "no header \(expected[0]) in:\n\(answered)")
        #expect(Array(lines[start..<min(lines.count, start + expected.count)]) == expected, "\(answered)")

        // A statement that reads the slow column: the progress line, then Ctrl-C.
        try terminal.press("C-l")
        try terminal.waitFor { TerminalSession.lines($0) == ["subscriptions>"] }
        try terminal.type("SELECT region, revenue_churn_rate FROM subscriptions GROUP BY region;")
        try terminal.press("Enter")
        let running = try terminal.waitFor(timeout: 60) { $0.contains(" tasks ") && $0.contains("spark ") }
        #expect(running.contains("of 1 tasks") || running.contains("of 2 tasks"), "\(running)")
        let pressed = ContinuousClock.now
        try terminal.press("C-c")
        try terminal.waitFor(timeout: 20) { TerminalSession.lines($0).suffix(2) == ["cancelled", "subscriptions>"] }
        let delay = ContinuousClock.now - pressed
        #expect(delay < .seconds(5), "cancelled \(delay) after Ctrl-C")

        // The shell and its Spark session carry on.
        try terminal.press("C-l")
        try terminal.waitFor { TerminalSession.lines($0) == ["subscriptions>"] }
        try terminal.type(statement)
        try terminal.press("Enter")
        let again = try terminal.waitFor(timeout: 60) { screen in
            TerminalSession.lines(screen).last == "subscriptions>" && TerminalSession.lines(screen).contains(expected.last!)
        }
        #expect(TerminalSession.lines(again).contains(expected[1]), "\(again)")
    }
}
