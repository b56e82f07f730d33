import Testing
@testable import ChurnSyntax

@Suite struct ScriptSplitterTests {
    @Test func splitsAtSemicolonsOutsideStringsAndComments() {
        let script = """
            SELECT 'a;b' AS "x;y" FROM s; -- trailing; comment
            /* block; comment */ DESCRIBE s;
            """
        let split = ScriptSplitter.split(script)
        #expect(split.units == [
            ScriptUnit(.statement, text: "SELECT 'a;b' AS \"x;y\" FROM s", offset: 0, line: 1, column: 1),
            ScriptUnit(.statement, text: "DESCRIBE s", offset: 72, line: 2, column: 22),
        ])
        #expect(split.trailing == nil && !split.isIncomplete)
        #expect(split.openConstruct == nil)
    }

    @Test func keepsStartLinesOfMultiLineStatements() {
        let script = "\n\nSELECT a\n  FROM s\n WHERE b = 1;\n\n   HOTSPOTS nrr\n BY *;\n"
        let units = ScriptSplitter.split(script).units
        #expect(units.map(\.text) == ["SELECT a\n  FROM s\n WHERE b = 1", "HOTSPOTS nrr\n BY *"])
        #expect(units.map(\.line) == [3, 7])
        #expect(units.map(\.column) == [1, 4])
        #expect(units.allSatisfy { $0.kind == .statement })
    }

    @Test func skipsBlankAndCommentOnlyParts() {
        let split = ScriptSplitter.split(";; -- nothing\n /* here */ ;\n SELECT 1 -- done\n;\n-- end")
        #expect(split.units.map(\.text) == ["SELECT 1 -- done"])
        #expect(!split.isIncomplete)
    }

    @Test func yieldsDotCommandsAsTheirOwnUnits() {
        let split = ScriptSplitter.split(".mode csv\nSELECT 1;\n  .output out.csv  \n.quit")
        #expect(split.units == [
            ScriptUnit(.dotCommand, text: ".mode csv", offset: 0, line: 1, column: 1),
            ScriptUnit(.statement, text: "SELECT 1", offset: 10, line: 2, column: 1),
            ScriptUnit(.dotCommand, text: ".output out.csv", offset: 22, line: 3, column: 3),
            ScriptUnit(.dotCommand, text: ".quit", offset: 40, line: 4, column: 1),
        ])
        #expect(!split.isIncomplete)
    }

    @Test func detectsIncompleteTrailingStatement() {
        let split = ScriptSplitter.split("SELECT 1;\nSELECT region\n  FROM s")
        #expect(split.units.map(\.text) == ["SELECT 1"])
        #expect(split.trailing == ScriptUnit(.statement, text: "SELECT region\n  FROM s", offset: 10, line: 2, column: 1))
        #expect(split.isIncomplete)
        #expect(split.allUnits.count == 2)
    }

    @Test func detectsOpenStringsAndComments() {
        let inString = ScriptSplitter.split("SELECT 'a;")
        #expect(inString.openConstruct == .string && inString.isIncomplete)
        #expect(inString.trailing?.text == "SELECT 'a;")
        #expect(ScriptSplitter.split("SELECT \"a;").openConstruct == .quotedIdentifier)
        let inComment = ScriptSplitter.split("SELECT 1; /* still;")
        #expect(inComment.openConstruct == .blockComment && inComment.isIncomplete && inComment.trailing == nil)
        let lineComment = ScriptSplitter.split("SELECT 1; -- note")
        #expect(lineComment.openConstruct == .lineComment && !lineComment.isIncomplete)
    }

    @Test func unitsParseAndReportScriptPositions() throws {
        let script = "SELECT 1;\n\n  SELECT a\n  FROM s WHERE;"
        let unit = ScriptSplitter.split(script).units[1]
        do {
            _ = try Parser.parseStatement(unit.text)
            Issue.record("expected a syntax error")
        } catch {
            #expect(error.diagnostic.render(source: unit.text, origin: "script.cq", baseLine: unit.line, baseColumn: unit.column) == """
                script.cq:4:15: error: expected an expression after 'WHERE'
                  FROM s WHERE
                              ^
                """)
        }
        #expect(try Parser.parseStatement(ScriptSplitter.split(script).units[0].text) == Statement(
            .select(SelectStatement(items: [.expression(.integer(1))]))))
    }

    @Test func aSemicolonEndsADotCommandOnItsLine() {
        let split = ScriptSplitter.split(".mode csv; SELECT 1; .output 'a;b.csv';.cubes")
        #expect(split.units.map(\.kind) == [.dotCommand, .statement, .dotCommand, .dotCommand])
        #expect(split.units.map(\.text) == [".mode csv", "SELECT 1", ".output 'a;b.csv'", ".cubes"])
        #expect(split.units.map(\.column) == [1, 12, 22, 40])
        #expect(!split.isIncomplete)
    }
}
