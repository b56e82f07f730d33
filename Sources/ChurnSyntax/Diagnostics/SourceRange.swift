/// A span of statement text: UTF-8 byte offsets `start..<end`, plus the 1-based line and
/// column of `start`.
///
/// Columns count Unicode scalars from the start of the line, so a caret lines up under
/// non-ASCII text as long as each scalar takes one cell. Ranges never take part in AST
/// equality: two parses of the same query with different layout compare equal.
package struct SourceRange: Hashable, Sendable, CustomStringConvertible {
    package var start: Int
    package var end: Int
    package var line: Int
    package var column: Int

    package init(start: Int, end: Int, line: Int, column: Int) {
        self.start = start
        self.end = end
        self.line = line
        self.column = column
    }

    /// The range of nodes built by code rather than parsed from text.
    package static let synthesized = SourceRange(start: 0, end: 0, line: 1, column: 1)

    package var offsets: Range<Int> { start..<end }

    /// This range extended to the end of `other`, which must not start before it.
    package func through(_ other: SourceRange) -> SourceRange {
        SourceRange(start: start, end: Swift.max(end, other.end), line: line, column: column)
    }

    package var description: String { "\(line):\(column)" }
}
