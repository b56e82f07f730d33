import Foundation
import Testing

/// The REPL as a person uses it, in a tmux terminal.
@Suite(.serialized) struct InteractiveTests {
    let home: String

    init() throws {
        home = try CLI.temporaryDirectory()
    }

    func open(environment: [String: String] = [:]) throws -> TerminalSession {
        let session = try TerminalSession(home: home, arguments: [CLI.smallFacts, "--cube", CLI.cubeDefinition], environment: environment)
        try session.waitFor { TerminalSession.lines($0).last == "subscriptions>" }
        return session
    }

    @Test func tabCompletesADimensionAndAMemberValue() throws {
        let terminal = try open()
        try terminal.type("SELECT regi")
        try terminal.press("Tab")
        try terminal.waitFor { TerminalSession.lines($0).last == "subscriptions> SELECT region" }
        try terminal.type("FROM subscriptions WHERE segment = 'mid")
        try terminal.press("Tab")
        let screen = try terminal.waitFor { $0.contains("WHERE segment = 'mid_market'") }
        #expect(TerminalSession.lines(screen).last == "subscriptions> SELECT region FROM subscriptions WHERE segment = 'mid_market'")
        try terminal.press("C-c")
        try terminal.waitFor { TerminalSession.lines($0).last == "subscriptions>" }
        try terminal.type(".mo")
        try terminal.press("Tab")
        try terminal.type("cs")
        try terminal.press("Tab")
        try terminal.waitFor { TerminalSession.lines($0).last == "subscriptions> .mode csv" }
    }

    /// The words readline lists after the line being completed, on the screen above the prompt.
    private func listing(_ terminal: TerminalSession, typing text: String) throws -> Set<String> {
        try terminal.type(text)
        try terminal.press("Tab")
        try terminal.press("Tab")
        let prompt = "subscriptions> " + text.trimmingCharacters(in: .whitespaces)
        let screen = try terminal.waitFor { TerminalSession.lines($0).filter { $0 == prompt }.count == 2 }
        let lines = TerminalSession.lines(screen)
        let first = try #require(lines.firstIndex(of: prompt))
        let words = lines[(first + 1)..<(lines.count - 1)].flatMap { $0.split(separator: " ").map(String.init) }
        // Ctrl-C discards input not yet read: clear the screen only once the prompt is back.
        try terminal.press("C-c")
        try terminal.waitFor { TerminalSession.lines($0).last == "subscriptions>" }
        try terminal.press("C-l")
        try terminal.waitFor { TerminalSession.lines($0) == ["subscriptions>"] }
        return Set(words)
    }

    @Test func tabListsWhatFitsTheContext() throws {
        let terminal = try open()
        #expect(try listing(terminal, typing: "SELECT se") == ["segment", "seats_active", "seat_utilization", "seats_licensed"])
        let ratios = try listing(terminal, typing: "HOTSPOTS ")
        #expect(ratios.contains("logo_churn_rate") && ratios.contains("nrr") && ratios.contains("avg_nps"))
        #expect(!ratios.contains("mrr") && !ratios.contains("customers") && !ratios.contains("region") && !ratios.contains("SELECT"))
        let groupable = try listing(terminal, typing: "HOTSPOTS logo_churn_rate BY ")
        #expect(groupable.isSuperset(of: ["segment", "quarter", "geography"]))
        #expect(!groupable.contains("nrr") && !groupable.contains("mrr_start") && !groupable.contains("ROLLUP"))
        let grouping = try listing(terminal, typing: "SELECT region FROM subscriptions GROUP BY ")
        #expect(grouping.isSuperset(of: ["ROLLUP", "CUBE", "GROUPING", "region", "time"]))
        #expect(try listing(terminal, typing: "SELECT region FROM subscriptions ") == ["WHERE", "GROUP", "HAVING", "ORDER", "LIMIT", "OFFSET"])
        // ALERTS offers the cube's rules beside its clauses.
        #expect(try listing(terminal, typing: "ALERTS ") == ["renewal_without_exec", "adoption_drop", "red_and_silent",
                                                                  "WHEN", "AS", "FROM", "WHERE", "ORDER", "LIMIT"])
        // One candidate completes in place.
        try terminal.type("SELECT region FROM subscriptions GROUP BY ro")
        try terminal.press("Tab")
        try terminal.waitFor { TerminalSession.lines($0).last == "subscriptions> SELECT region FROM subscriptions GROUP BY rollup" }
    }

    @Test func multiLineStatementRunsAndIsRecalledInTheNextSession() throws {
        do {
            let terminal = try open()
            try terminal.type("SELECT segment, customers")
            try terminal.press("Enter")
            try terminal.waitFor { TerminalSession.lines($0).last == "          ...>" }
            try terminal.type("FROM subscriptions GROUP BY segment ORDER BY segment;")
            try terminal.press("Enter")
            let screen = try terminal.waitFor { $0.contains("smb") && TerminalSession.lines($0).last == "subscriptions>" }
            let lines = TerminalSession.lines(screen)
            #expect(lines.contains("subscriptions> SELECT segment, customers"))
            #expect(lines.contains("          ...> FROM subscriptions GROUP BY segment ORDER BY segment;"))
            #expect(lines.contains { $0.hasPrefix("segment     customers") })
            try terminal.press("C-d")
            try terminal.waitFor { $0.contains("EXITED 0") }
        }
        let history = try String(contentsOfFile: home + "/.churncube_history", encoding: .utf8)
        #expect(history == "SELECT segment, customers\\nFROM subscriptions GROUP BY segment ORDER BY segment;\n")

        let again = try open()
        try again.press("Up")
        let recalled = try again.waitFor { $0.contains("subscriptions> SELECT segment, customers\nFROM subscriptions") }
        #expect(recalled.contains("FROM subscriptions GROUP BY segment ORDER BY segment;"))
    }

    @Test func anOpenQuoteShowsInThePromptAndTheErrorSaysWhereItOpened() throws {
        let terminal = try open()
        try terminal.type("SELECT region, customers FROM subscriptions WHERE plan = 'pro")
        try terminal.press("Enter")
        try terminal.waitFor { TerminalSession.lines($0).last == "            '>" }
        // A line ending in ';' ends the statement even inside the quote.
        try terminal.type("GROUP BY region;")
        try terminal.press("Enter")
        let screen = try terminal.waitFor { $0.contains("unterminated") && TerminalSession.lines($0).last == "subscriptions>" }
        let lines = TerminalSession.lines(screen)
        #expect(lines.contains("            '> GROUP BY region;"))
        #expect(lines.contains("query:1:58: error: unterminated string starting at 1:58"))
        // A block comment left open shows too.
        try terminal.type("SELECT /* which")
        try terminal.press("Enter")
        try terminal.waitFor { TerminalSession.lines($0).last == "            *>" }
        try terminal.press("C-c")
        try terminal.waitFor { TerminalSession.lines($0).last == "subscriptions>" }
    }

    @Test func ctrlCCancelsAHotspotSearchAndASecondOneLeaves() throws {
        let terminal = try TerminalSession(home: home, arguments: [CLI.sampleSnapshot])
        try terminal.waitFor { TerminalSession.lines($0).last == "subscriptions>" }
        for wait in [0.3, 2.0] {
            try terminal.type(CLI.longHotspots)
            try terminal.press("Enter")
            Thread.sleep(forTimeInterval: wait)
            let pressed = ContinuousClock.now
            try terminal.press("C-c")
            try terminal.waitFor(timeout: 10) { TerminalSession.lines($0).suffix(2) == ["cancelled", "subscriptions>"] }
            let delay = ContinuousClock.now - pressed
            #expect(delay < .seconds(1), "pressed after \(wait) s, cancelled \(delay) later")
        }
        // Loading data does not stop on Ctrl-C: a second one leaves the shell.
        try terminal.type(".open Samples/subscriptions.csv.zst --cube Cubes/subscriptions.yaml")
        try terminal.press("Enter")
        Thread.sleep(forTimeInterval: 0.5)
        try terminal.press("C-c")
        Thread.sleep(forTimeInterval: 0.3)
        try terminal.press("C-c")
        try terminal.waitFor(timeout: 5) { $0.contains("EXITED 130") }
    }

    @Test func ctrlDAtAContinuationPromptKeepsTheStatementInHistory() throws {
        do {
            let terminal = try open()
            try terminal.type("SELECT segment, customers")
            try terminal.press("Enter")
            try terminal.waitFor { TerminalSession.lines($0).last == "          ...>" }
            try terminal.type("FROM subscriptions")
            try terminal.press("Enter")
            try terminal.waitFor { TerminalSession.lines($0).last == "          ...>" }
            try terminal.press("C-d")
            let screen = try terminal.waitFor { $0.contains("EXITED 0") }
            #expect(screen.contains("the unfinished statement was not run; it is kept in the history"))
        }
        let history = try String(contentsOfFile: home + "/.churncube_history", encoding: .utf8)
        #expect(history == "SELECT segment, customers\\nFROM subscriptions\n")
    }

    @Test func aWarningPrintsBeforeTheResult() throws {
        let terminal = try open()
        try terminal.type("SELECT COUNT(*) AS n FROM subscriptions WHERE region = 'Amer';")
        try terminal.press("Enter")
        let screen = try terminal.waitFor { $0.contains("warning") && TerminalSession.lines($0).last == "subscriptions>" }
        let lines = TerminalSession.lines(screen)
        let warning = try #require(lines.firstIndex(of: "query:1:56: warning: region has no member 'Amer'; did you mean 'amer'?"))
        let header = try #require(lines.firstIndex(of: "n"))
        #expect(warning < header)
        #expect(lines[warning + 2].hasSuffix("^~~~~~"))
    }

    @Test func ctrlCCancelsTheRunningStatementAndTheLineBeingTyped() throws {
        let terminal = try open(environment: ["CHURNCUBE_TEST_STATEMENT_DELAY": "30"])
        try terminal.type("SELECT segment FROM subscriptions GROUP BY segment;")
        try terminal.press("Enter")
        Thread.sleep(forTimeInterval: 0.5)
        try terminal.press("C-c")
        try terminal.waitFor { TerminalSession.lines($0).contains("cancelled") && TerminalSession.lines($0).last == "subscriptions>" }
        try terminal.type("SELECT half a line")
        // Ctrl-C makes the terminal flush output not yet shown: wait for the echo first.
        try terminal.waitFor { TerminalSession.lines($0).last == "subscriptions> SELECT half a line" }
        try terminal.press("C-c")
        let screen = try terminal.waitFor { $0.contains("SELECT half a line^C") }
        #expect(TerminalSession.lines(screen).last == "subscriptions>")
        try terminal.type(".cubes")
        try terminal.press("Enter")
        try terminal.waitFor { $0.contains("subscriptions  2,000 rows") }
        try terminal.press("C-d")
        try terminal.waitFor { $0.contains("EXITED 0") }
    }
}
