/// What tab completion should offer at the cursor, and the partial word to replace.
package struct CompletionContext: Hashable, Sendable {
    /// The kind of token expected next.
    package enum Expectation: Hashable, Sendable {
        /// One of these keywords: a statement start, the clauses that may follow, an option.
        case keywords([String])
        /// A cube name, after FROM or DESCRIBE.
        case cubeName
        /// A column, dimension or measure name, or the start of an expression.
        case column
        /// A measure HOTSPOTS can judge: a ratio of sums.
        case ratioMeasure
        /// A measure, after DRILL or PIVOT.
        case measure
        /// A rule of the cube, or one of these keywords: after ALERTS and BACKTEST.
        case rule(keywords: [String])
        /// What GROUP BY or HOTSPOTS ... BY takes: dimensions, levels and hierarchies, and at the
        /// top of a GROUP BY list also ROLLUP, CUBE and GROUPING SETS.
        case groupable(groupingKeywords: Bool)
        /// A dimension or level, after ROWS, COLUMNS and in DRILL's path.
        case dimension
        /// A member value of the named dimension, after `dim =`, `dim <>`, `dim IN (`.
        case memberValue(dimension: String)
        /// Free text with nothing to offer: a number after LIMIT, an alias after AS.
        case freeText
        /// A dot-command name or argument.
        case dotCommand
        /// Inside a comment.
        case nothing
    }

    package var expectation: Expectation
    /// The word being typed, without an opening quote.
    package var partial: String
    /// UTF-8 byte offset in the text where the partial word (or its opening quote) starts.
    package var partialOffset: Int
    /// The partial word follows an opening `'` or `"`, so a completion should close it.
    package var isQuoted: Bool

    package init(_ expectation: Expectation, partial: String = "", partialOffset: Int, isQuoted: Bool = false) {
        self.expectation = expectation
        self.partial = partial
        self.partialOffset = partialOffset
        self.isQuoted = isQuoted
    }
}
