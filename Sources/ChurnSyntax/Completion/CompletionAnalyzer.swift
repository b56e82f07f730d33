/// Classifies the cursor position of a partly typed buffer for tab completion.
///
/// Heuristic by design: it looks at the last few tokens of the current statement rather than
/// parsing, so it works on text that is not yet valid.
package enum CompletionAnalyzer {
    /// `text` is everything before the cursor, possibly several statements.
    package static func context(before text: String) -> CompletionContext {
        let bytes = Array(text.utf8)
        let split = ScriptSplitter.split(text)
        if split.openConstruct == .blockComment || split.openConstruct == .lineComment {
            return CompletionContext(.nothing, partialOffset: bytes.count)
        }
        guard let statement = split.trailing else {
            if let last = split.units.last, last.kind == .dotCommand,
               !bytes[last.offset...].contains(UInt8(ascii: "\n")) {
                let partialStart = (bytes.lastIndex(where: \.isWhitespace) ?? last.offset - 1) + 1
                let partial = String(decoding: bytes[max(partialStart, last.offset)...], as: UTF8.self)
                return CompletionContext(.dotCommand, partial: partial, partialOffset: max(partialStart, last.offset))
            }
            return CompletionContext(.keyword, partialOffset: bytes.count)
        }
        let base = statement.offset
        let tail = String(decoding: bytes[base...], as: UTF8.self)
        var (tokens, openQuote) = lenientTokens(tail)

        var partial = ""
        var partialOffset = bytes.count
        var isQuoted = false
        if let openQuote {
            isQuoted = true
            partialOffset = base + openQuote.offset
            partial = openQuote.content
        } else if let last = tokens.last, last.range.end == tail.utf8.count {
            switch last.kind {
            case let .word(spelling):
                partial = spelling
                partialOffset = base + last.range.start
                tokens.removeLast()
            case .integer, .decimal:
                partial = last.text
                partialOffset = base + last.range.start
                tokens.removeLast()
            default:
                break
            }
        }
        return CompletionContext(expectation(after: tokens), partial: partial, partialOffset: partialOffset, isQuoted: isQuoted)
    }

    // MARK: - Tokens before the cursor

    /// Tokens of `text` without `.end`; an unterminated string or quoted identifier at the end
    /// is returned as the open quote's offset and content so far.
    private static func lenientTokens(_ text: String) -> ([Token], (offset: Int, content: String)?) {
        do {
            var tokens = try Lexer.tokenize(text)
            tokens.removeLast()
            return (tokens, nil)
        } catch {
            let bytes = Array(text.utf8)
            let start = min(error.range.start, bytes.count)
            let before = String(decoding: bytes[..<start], as: UTF8.self)
            let (tokens, _) = lenientTokens(before)
            switch error.reason {
            case .unterminatedString, .unterminatedQuotedIdentifier:
                let quote = bytes[start]
                let content = String(decoding: bytes[(start + 1)...], as: UTF8.self)
                let single = String(UnicodeScalar(quote))
                return (tokens, (start, content.replacingOccurrences(of: single + single, with: single)))
            default:
                return (tokens, nil)
            }
        }
    }

    // MARK: - Classification

    private static func expectation(after tokens: [Token]) -> CompletionContext.Expectation {
        guard let last = tokens.last else { return .keyword }
        let statementKeyword = tokens.first?.keyword
        switch last.kind {
        case .word:
            switch last.keyword {
            case .from?, .describe?:
                return .cubeName
            case .by?:
                let previous = tokens.dropLast().last?.keyword
                return previous == .order && statementKeyword == .hotspots ? .keyword : .column
            case .and?:
                if let dimension = betweenDimension(before: tokens.dropLast()) { return .memberValue(dimension: dimension) }
                return .column
            case .between?, .like?:
                if let dimension = name(of: tokens.dropLast().last) { return .memberValue(dimension: dimension) }
                return .column
            case .select?, .where?, .or?, .not?, .having?, .when?, .then?, .else?, .distinct?,
                 .rows?, .columns?, .to?, .hotspots?, .drill?, .pivot?:
                return .column
            case .as?, .limit?, .offset?, .depth?, .support?, .save?:
                return .freeText
            default:
                return .keyword
            }
        case .comma, .leftParen:
            if let dimension = inListDimension(tokens) { return .memberValue(dimension: dimension) }
            return .column
        case .equal, .notEqual, .less, .lessOrEqual, .greater, .greaterOrEqual:
            if let dimension = name(of: tokens.dropLast().last) { return .memberValue(dimension: dimension) }
            return .column
        case .star:
            // `SELECT *` or `COUNT(*` is complete; otherwise `*` multiplies.
            let previous = tokens.dropLast().last
            if previous == nil || previous?.keyword == .select || previous?.keyword == .by
                || previous?.kind == .comma || previous?.kind == .leftParen {
                return .keyword
            }
            return .column
        case .plus, .minus, .slash:
            return .column
        default:
            return .keyword
        }
    }

    /// The name a token spells if it can be a dimension reference.
    private static func name(of token: Token?) -> String? {
        guard let token else { return nil }
        switch token.kind {
        case let .quotedIdentifier(name): return name
        case let .word(name) where !(token.keyword?.isReserved ?? false): return name
        default: return nil
        }
    }

    /// For `dim BETWEEN low AND`, the dimension.
    private static func betweenDimension(before tokens: ArraySlice<Token>) -> String? {
        let window = Array(tokens.suffix(3))
        guard window.count == 3, window[1].keyword == .between else { return nil }
        return name(of: window[0])
    }

    /// When the cursor is inside `dim [NOT] IN ( ...`, the dimension.
    private static func inListDimension(_ tokens: [Token]) -> String? {
        var depth = 0
        for index in tokens.indices.reversed() {
            switch tokens[index].kind {
            case .rightParen:
                depth += 1
            case .leftParen:
                if depth > 0 {
                    depth -= 1
                    continue
                }
                guard index >= 2, tokens[index - 1].keyword == .in else { return nil }
                let subject = tokens[index - 2].keyword == .not && index >= 3 ? tokens[index - 3] : tokens[index - 2]
                return name(of: subject)
            case .word where tokens[index].keyword?.isReserved == true && depth == 0:
                if tokens[index].keyword == .in { continue }
                return nil
            default:
                continue
            }
        }
        return nil
    }
}
