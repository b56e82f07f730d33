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
        try terminal.waitFor { TerminalSession.lines($0).last == "subscriptions>" && $0.contains("tickets_per_account") }
        let printed = try terminal.scrollback()
        #expect(!printed.contains("more rows"))
        #expect(printed.contains("cube subscriptions: 200,000 rows, 31 columns"))
        #expect(printed.contains("text, 9,478 values"))
        // Every measure of the definition is listed.
        let definition = try String(contentsOfFile: CLI.cubeDefinition, encoding: .utf8)
        let measures = definition.components(separatedBy: "\nmeasures:")[1]
            .split(separator: "\n").filter { $0.hasPrefix("  ") && !$0.hasPrefix("   ") && $0.hasSuffix(":") }
            .map { $0.trimmingCharacters(in: .whitespaces).dropLast() }
        #expect(measures.count > 10)
        let unwrapped = printed.replacingOccurrences(of: "\n", with: "")
        for measure in measures { #expect(unwrapped.contains("measure    \(measure)"), "missing measure \(measure)") }
    }
}
