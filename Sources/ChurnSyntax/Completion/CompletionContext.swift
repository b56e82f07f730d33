/// What tab completion should offer at the cursor, and the partial word to replace.
package struct CompletionContext: Hashable, Sendable {
    /// The kind of token expected next.
    package enum Expectation: Hashable, Sendable {
        /// A keyword: statement start, or a clause after a complete operand.
        case keyword
        /// A cube name, after FROM or DESCRIBE.
        case cubeName
        /// A column, dimension or measure name.
        case column
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
