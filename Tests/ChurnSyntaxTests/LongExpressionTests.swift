import Foundation
import Testing
@testable import ChurnSyntax

/// Thousands of terms in a flat chain parse and render; nesting past the limit is refused at
/// the place it passes the limit, never by exhausting the stack.
@Suite struct LongExpressionTests {
    private func error(_ text: String) -> SyntaxError? {
        do {
            _ = try Parser.parseStatement(text)
            return nil
        } catch {
            return error
        }
    }

    /// The byte offset of the `occurrence`-th (1-based) `needle` in `text`.
    private func offset(of needle: String, occurrence: Int, in text: String) -> Int {
        var searchStart = text.startIndex
        var found = text.startIndex
        for _ in 0..<occurrence {
            found = text.range(of: needle, range: searchStart..<text.endIndex)!.lowerBound
            searchStart = text.index(after: found)
        }
        return text.utf8.distance(from: text.startIndex, to: found)
    }

    @Test func flatChainsParseLeftNestedAndRenderWhole() throws {
        let conditions = Array(repeating: "region = 'amer'", count: 3_000).joined(separator: " AND ")
        let conjunction = try Parser.parseExpression(conditions)
        #expect(conjunction.operands(of: .and).count == 3_000)
        #expect(conjunction.height == 3_001)
        #expect(conjunction.description == conditions)

        let alternatives = Array(repeating: "a = 1", count: 5_000).joined(separator: " OR ")
        #expect(try Parser.parseExpression(alternatives).operands(of: .or).count == 5_000)

        let sum = Array(repeating: "COUNT(*)", count: 4_000).joined(separator: " + ") + " - SUM(x)"
        let parsed = try Parser.parseExpression(sum)
        guard case let .binary(.subtract, left, _) = parsed.kind else {
            Issue.record("expected a subtraction at the root, found \(parsed)")
            return
        }
        #expect(left.operands(of: .add).count == 4_000)
        #expect(parsed.description == sum)
        #expect(try Parser.parseExpression(parsed.description).description == sum)
    }

    @Test func nestingUpToTheLimitParses() throws {
        let limit = ParseSession.maximumNesting
        let parentheses = String(repeating: "(", count: limit) + "x" + String(repeating: ")", count: limit)
        #expect(try Parser.parseExpression(parentheses) == .column("x"))
        let calls = String(repeating: "COALESCE(", count: limit) + "x" + String(repeating: ")", count: limit)
        #expect(try Parser.parseExpression(calls).height == limit + 1)
        let nots = String(repeating: "NOT ", count: limit) + "x"
        #expect(try Parser.parseExpression(nots).height == limit + 1)
    }

    @Test func nestingPastTheLimitIsRefusedWhereItPassesIt() {
        let cases: [(text: String, opener: String)] = [
            ("SELECT " + String(repeating: "(", count: 1_500) + "1" + String(repeating: ")", count: 1_500), "("),
            ("SELECT x FROM s WHERE " + String(repeating: "NOT ", count: 5_000) + "x = 1", "NOT"),
            ("SELECT " + String(repeating: "- ", count: 5_000) + "x", "-"),
            ("SELECT " + String(repeating: "COALESCE(", count: 5_000) + "x" + String(repeating: ")", count: 5_000), "COALESCE("),
            ("SELECT " + String(repeating: "CASE WHEN a THEN ", count: 5_000) + "1" + String(repeating: " END", count: 5_000), "CASE"),
            ("SELECT x FROM s WHERE " + String(repeating: "x IN (", count: 300) + "1" + String(repeating: ")", count: 300), "("),
            (String(repeating: "EXPLAIN ", count: 5_000) + "SELECT 1", "EXPLAIN"),
        ]
        for (text, opener) in cases {
            let failure = error(text)
            #expect(failure?.message == "nesting deeper than 256 levels", "\(text.prefix(40))")
            #expect(failure?.range.start == offset(of: opener, occurrence: 257, in: text), "\(text.prefix(40))")
        }
    }

    @Test func nestingCountsOnlyOpenLevels() throws {
        // Many parenthesized groups side by side are no deeper than one.
        let groups = Array(repeating: "(a = 1)", count: 2_000).joined(separator: " OR ")
        #expect(try Parser.parseExpression(groups).operands(of: .or).count == 2_000)
    }
}
