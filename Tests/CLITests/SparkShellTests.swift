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

        /// Called off the cooperative pool (see `drive`), as the blocking client must be.
        private static func run(_ statements: [String], url: String, table: String) throws {
            let connection = try SparkConnection.open(url: url, table: table)
            for statement in statements { _ = try connection.run(statement, cancellation: .never) }
        }
    }

    /// What the session showed, gathered on a thread of its own and checked afterwards.
    struct Observed: Sendable {
        var expected: [String] = []
        var inMemoryError = ""
        var answered = ""
        var running = ""
        var cancelDelay = Duration.zero
        var again = ""
    }

    /// Everything here blocks (the Spark client, tmux, waiting for the screen), so it runs off
    /// the cooperative pool, which the other Spark tests' client tasks need.
    @Test func answersMatchTheInMemoryCubeAndCtrlCStopsSpark() async throws {
        let url = try #require(SparkTestEnvironment.url)
        let observed = try await offCooperativePool { try Self.drive(url: url) }
        let expected = observed.expected
        #expect(expected.count > 2, "in memory: \(observed.inMemoryError)")
        let lines = TerminalSession.lines(observed.answered)
        let start = try #require(lines.firstIndex(of: expected[0]), "no header \(expected[0]) in:\n\(observed.answered)")
        #expect(Array(lines[start..<min(lines.count, start + expected.count)]) == expected, "\(observed.answered)")
        #expect(observed.running.contains("of 1 tasks") || observed.running.contains("of 2 tasks"), "\(observed.running)")
        #expect(observed.cancelDelay < .seconds(5), "cancelled \(observed.cancelDelay) after Ctrl-C")
        #expect(TerminalSession.lines(observed.again).contains(expected[1]), "\(observed.again)")
    }

    private static func drive(url: String) throws -> Observed {
        var observed = Observed()
        let tables = try Tables(url: url)
        defer { tables.drop() }
        let home = try CLI.temporaryDirectory()
        let statement = "SELECT region, customers, logo_churn_rate FROM subscriptions GROUP BY region ORDER BY region;"
        let inMemory = try CLI.run([CLI.smallFacts, "--cube", CLI.cubeDefinition, "--format", "csv", "-c", statement])
        observed.inMemoryError = inMemory.standardError
        let expected = inMemory.standardOutput.split(separator: "\n").map(String.init)
        observed.expected = expected
        guard inMemory.status == 0, let last = expected.last else { return observed }

        let terminal = try TerminalSession(home: home, arguments: ["--engine", url, "--table", tables.slow, "--cube", CLI.cubeDefinition])
        try terminal.waitFor(timeout: 60) { TerminalSession.lines($0).last == "subscriptions>" }
        try terminal.type(".mode csv")
        try terminal.press("Enter")
        try terminal.type(statement)
        try terminal.press("Enter")
        observed.answered = try terminal.waitFor(timeout: 60) { screen in
            TerminalSession.lines(screen).last == "subscriptions>" && TerminalSession.lines(screen).contains(last)
        }

        // A statement that reads the slow column: the progress line, then Ctrl-C.
        try terminal.press("C-l")
        try terminal.waitFor { TerminalSession.lines($0) == ["subscriptions>"] }
        try terminal.type("SELECT region, revenue_churn_rate FROM subscriptions GROUP BY region;")
        try terminal.press("Enter")
        observed.running = try terminal.waitFor(timeout: 60) { $0.contains(" tasks ") && $0.contains("spark ") }
        let pressed = ContinuousClock.now
        try terminal.press("C-c")
        try terminal.waitFor(timeout: 20) { TerminalSession.lines($0).suffix(2) == ["cancelled", "subscriptions>"] }
        observed.cancelDelay = ContinuousClock.now - pressed

        // The shell and its Spark session carry on.
        try terminal.press("C-l")
        try terminal.waitFor { TerminalSession.lines($0) == ["subscriptions>"] }
        try terminal.type(statement)
        try terminal.press("Enter")
        observed.again = try terminal.waitFor(timeout: 60) { screen in
            TerminalSession.lines(screen).last == "subscriptions>" && TerminalSession.lines(screen).contains(last)
        }
        return observed
    }
}
