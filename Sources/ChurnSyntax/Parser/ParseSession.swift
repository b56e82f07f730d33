/// Recursive-descent parser state over a token array: the cursor plus matching helpers.
/// The grammar lives in the `ParseSession+*.swift` extensions.
struct ParseSession {
    let tokens: [Token]
    private(set) var index = 0
    /// Open parentheses, calls, CASEs, NOTs, unary minuses and EXPLAINs around the current token.
    private(set) var nesting = 0

    /// The deepest nesting accepted. Every later stage walks the tree recursively, so the
    /// parser refuses what would exhaust their stacks; flat chains (`a AND b AND ...`,
    /// `x + y + ...`) are loops and do not count.
    static let maximumNesting = 256

    init(tokens: [Token]) {
        precondition(tokens.last?.kind == .end, "token stream must end with .end")
        self.tokens = tokens
    }

    var current: Token { tokens[index] }

    /// The last consumed token; nodes end where it ends.
    var previous: Token { tokens[max(index - 1, 0)] }

    func peek(_ ahead: Int = 1) -> Token { tokens[min(index + ahead, tokens.count - 1)] }

    @discardableResult
    mutating func advance() -> Token {
        let token = tokens[index]
        if index < tokens.count - 1 { index += 1 }
        return token
    }

    func check(_ keyword: Keyword) -> Bool { current.keyword == keyword }

    mutating func accept(_ keyword: Keyword) -> Token? {
        check(keyword) ? advance() : nil
    }

    mutating func accept(_ kind: Token.Kind) -> Token? {
        current.kind == kind ? advance() : nil
    }

    mutating func expect(_ keyword: Keyword, _ what: String? = nil, mentionPrevious: Bool = true) throws(SyntaxError) -> Token {
        if let token = accept(keyword) { return token }
        throw failure(expected: what ?? keyword.rawValue, mentionPrevious: mentionPrevious)
    }

    mutating func expect(_ kind: Token.Kind, _ what: String, mentionPrevious: Bool = false) throws(SyntaxError) -> Token {
        if let token = accept(kind) { return token }
        throw failure(expected: what, mentionPrevious: mentionPrevious)
    }

    /// "expected X [after 'prev'], found 'cur'" at the current token.
    func failure(expected what: String, mentionPrevious: Bool = false, hint: String? = nil) -> SyntaxError {
        let after = mentionPrevious && index > 0 ? previous.text : nil
        return SyntaxError(.expected(what, after: after, found: current.quotedText), at: current.range, hint: hint)
    }

    /// The range from `start` to the end of the last consumed token.
    func range(from start: SourceRange) -> SourceRange {
        start.through(previous.range)
    }

    /// Fails unless every token has been consumed.
    func expectEnd() throws(SyntaxError) {
        guard current.kind != .end else { return }
        var hint: String?
        if case let .word(spelling) = current.kind, current.keyword == nil,
           let keyword = closestMatch(to: spelling, among: Keyword.all) {
            hint = "did you mean \(keyword)?"
        }
        throw SyntaxError(.unexpected(current.quotedText ?? "end of input"), at: current.range, hint: hint)
    }

    // MARK: - Nesting

    /// Opens one level of nesting at `range`, or fails there when it would pass the limit.
    /// Pair each successful call with `leaveNesting()`.
    mutating func enterNesting(at range: SourceRange) throws(SyntaxError) {
        guard nesting < Self.maximumNesting else {
            throw SyntaxError(.nestingTooDeep(limit: Self.maximumNesting), at: range)
        }
        nesting += 1
    }

    mutating func leaveNesting(_ levels: Int = 1) {
        nesting -= levels
    }

    // MARK: - Names and numbers

    /// True when the current token can be a name: a quoted identifier or a non-reserved word.
    var atIdentifier: Bool {
        switch current.kind {
        case .quotedIdentifier: return true
        case .word: return !(current.keyword?.isReserved ?? false)
        default: return false
        }
    }

    mutating func parseIdentifier(_ what: String) throws(SyntaxError) -> Identifier {
        guard atIdentifier else { throw failure(expected: what, mentionPrevious: true) }
        let token = advance()
        switch token.kind {
        case let .word(name), let .quotedIdentifier(name): return Identifier(name, range: token.range)
        default: preconditionFailure("atIdentifier admitted \(token.kind)")
        }
    }

    /// A non-negative integer literal, as after LIMIT or DEPTH.
    mutating func parseCount() throws(SyntaxError) -> Int {
        if case let .integer(value) = current.kind {
            advance()
            return value
        }
        throw failure(expected: "an integer", mentionPrevious: true)
    }
}
