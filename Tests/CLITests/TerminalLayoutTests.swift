import Foundation
import Testing

/// What the shell prints on terminals of 80 and 200 columns (tmux), on the bundled sample.
@Suite(.serialized) struct TerminalLayoutTests {
    let home: String

    init() throws {
        home = try CLI.temporaryDirectory()
    }

    func open(width: Int) throws -> TerminalSession {
        let session = try TerminalSession(home: home, arguments: [], width: width, height: 50)
        try session.waitFor(timeout: 60) { TerminalSession.lines($0).last == "subscriptions>" }
        return session
    }

    @Test(arguments: [80, 200]) func describeIsNeverCutShort(width: Int) throws {
        let terminal = try open(width: width)
        try terminal.type("DESCRIBE;")
        try terminal.press("Enter")
        try terminal.waitFor { TerminalSession.lines($0).last == "subscriptions>" && $0.contains("red_and_silent") }
        let printed = try terminal.scrollback()
        #expect(!printed.contains("more rows"))
        #expect(printed.contains("cube subscriptions: 200,000 rows, 31 columns"))
        #expect(printed.contains("text, 9,478 values"))
        // Every measure and every rule of the definition is listed.
        let definition = try String(contentsOfFile: CLI.cubeDefinition, encoding: .utf8)
        func names(_ section: String) -> [Substring] {
            definition.components(separatedBy: "\n\(section):")[1].components(separatedBy: "\n\n")[0]
                .split(separator: "\n").filter { $0.hasPrefix("  ") && !$0.hasPrefix("   ") && $0.hasSuffix(":") }
                .map { $0.trimmingCharacters(in: .whitespaces).dropLast() }
        }
        let measures = names("measures"), rules = names("rules")
        #expect(measures.count > 10 && rules.count == 3)
        let unwrapped = printed.replacingOccurrences(of: "\n", with: "")
        for measure in measures { #expect(unwrapped.contains("measure    \(measure)"), "missing measure \(measure)") }
        for rule in rules { #expect(unwrapped.contains("rule       \(rule)"), "missing rule \(rule)") }
    }
}

extension TerminalLayoutTests {
    @Test(arguments: [80, 200]) func barsOfRatesNearOneHundredPercentShowTheirDifferences(width: Int) throws {
        let terminal = try open(width: width)
        try terminal.type("SELECT tier, nrr FROM subscriptions GROUP BY tier ORDER BY tier;")
        try terminal.press("Enter")
        let screen = try terminal.waitFor(timeout: 60) { TerminalSession.lines($0).last == "subscriptions>" && $0.contains("tier3") }
        let lines = TerminalSession.lines(screen)
        let header = try #require(lines.first { $0.hasPrefix("tier ") })
        #expect(header.hasSuffix("bars from 99.80%"), "\(header)")
        let bars = lines.filter { $0.hasPrefix("tier1") || $0.hasPrefix("tier2") || $0.hasPrefix("tier3") }
            .map { $0.filter { "█▏▎▍▌▋▊▉".contains($0) }.count }
        // 99.96%, 100.50%, 100.20%: the bars differ by more than half the width.
        #expect(bars.count == 3)
        #expect((bars.max() ?? 0) - (bars.min() ?? 0) >= 10, "\(bars)")
    }

    static let hotspots = "HOTSPOTS logo_churn_rate BY channel, campaign, segment, industry, region, country, plan, usage_pattern DEPTH 3 LIMIT 8;"

    /// Runs `statement` and returns what it printed, wrapped lines joined, from the line after
    /// the statement to the next prompt.
    func printed(by statement: String, on terminal: TerminalSession) throws -> [String] {
        try terminal.type(statement)
        try terminal.press("Enter")
        try terminal.waitFor(timeout: 60) { TerminalSession.lines($0).last == "subscriptions>" && $0.contains("significant cell") }
        let lines = TerminalSession.lines(try terminal.scrollback(joined: true))
        let start = try #require(lines.lastIndex { $0.hasPrefix("subscriptions> HOTSPOTS") })
        return Array(lines[(start + 1)..<(lines.count - 1)])
    }

    @Test func hotspotsOnANarrowTerminalAreReadingsThatFitIt() throws {
        let terminal = try open(width: 80)
        let lines = try printed(by: Self.hotspots, on: terminal)
        #expect(lines.first?.wholeMatch(of: /7 of \d+ significant cells \([\d,]+ tested\)/) != nil, "\(lines)")
        #expect(lines.allSatisfy { $0.count <= 80 }, "\(lines.filter { $0.count > 80 })")
        let numbered = lines.filter { $0.prefixMatch(of: #/\d+\. /#) != nil }
        #expect(numbered.count == 7)
        #expect(numbered.first?.hasPrefix("1. logo churn 5.42% vs what segment and channel predict 1.65% (+228%)") == true)
        let text = lines.map { $0.trimmingCharacters(in: .whitespaces) }.joined(separator: " ")
        #expect(text.contains("impact +465.11 churned accounts"))
        // industry = healthcare is all its light users' interaction: listed under it, not alone.
        #expect(text.contains("industry = healthcare, usage_pattern = light; n = 3,869; q < 0.001; impact +60.70 churned accounts; also: industry = healthcare"))
        // A comparison never breaks across lines.
        #expect(lines.allSatisfy { !$0.hasSuffix(" =") && !$0.hasSuffix(" <") && !$0.hasPrefix("   = ") })
        #expect(!lines.contains { $0.hasPrefix("cell ") })
    }

    @Test func resultsOfOneEntryStandApartByAnEmptyLine() throws {
        let terminal = try open(width: 80)
        try terminal.type("SELECT tier FROM subscriptions GROUP BY tier ORDER BY tier; SELECT segment FROM subscriptions GROUP BY segment ORDER BY segment;")
        try terminal.press("Enter")
        let screen = try terminal.waitFor(timeout: 60) { TerminalSession.lines($0).last == "subscriptions>" && $0.contains("smb") }
        let lines = TerminalSession.lines(screen)
        let first = try #require(lines.firstIndex { $0.hasPrefix("tier") && !$0.contains("SELECT") })
        #expect(lines[first...].prefix(7) == ["tier", "-----", "tier1", "tier2", "tier3", "", "segment"])
    }

    @Test func hotspotsOnAWideTerminalAreColumnsWithoutTheReading() throws {
        let terminal = try open(width: 200)
        try terminal.type("SELECT tier, nrr FROM subscriptions GROUP BY tier ORDER BY tier;")
        try terminal.press("Enter")
        try terminal.waitFor(timeout: 60) { TerminalSession.lines($0).last == "subscriptions>" && $0.contains("tier3") }
        let lines = try printed(by: Self.hotspots, on: terminal)
        // The caption comes right under the statement (an entry's results start afresh under its
        // prompt), and the table fits the width.
        #expect(lines.first?.wholeMatch(of: /7 of \d+ significant cells \([\d,]+ tested\)/) != nil, "\(lines)")
        #expect(lines.allSatisfy { $0.count <= 200 }, "\(lines.filter { $0.count > 200 })")
        let header = try #require(lines.dropFirst().first)
        #expect(header.hasPrefix("cell "))
        for name in ["support", "value", "baseline", "versus", "lift", "impact", "q"] {
            #expect(header.split(separator: " ").contains { $0 == name || $0.hasPrefix(name) }, "no \(name) in \(header)")
        }
        #expect(!header.contains("reading"))
        #expect(header.contains("impact (churned accounts)"))
        #expect(lines.count == 1 + 2 + 7)
        #expect(lines[3].hasPrefix("usage_pattern = dormant "))
        #expect(lines[3].contains("████████████████████"))
    }
}
