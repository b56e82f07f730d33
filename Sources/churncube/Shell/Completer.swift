import ChurnModel
import ChurnSyntax

/// Tab completion that knows the cube and the statement: keywords that fit where the cursor is
/// (the clauses that may follow `FROM cube`, HOTSPOTS options), the cube name after FROM and
/// DESCRIBE, ratio measures after HOTSPOTS, dimensions, levels and hierarchies after BY, names of
/// columns and measures in expressions, member values after `dimension =` (quoted, the closing
/// quote added), dot-commands and their arguments. Several candidates are listed by readline.
struct Completer {
    let cube: Cube
    /// The measures HOTSPOTS accepts, from the query engine.
    let ratioMeasures: [String]

    /// Words that start or make an expression, offered beside names once a word is begun.
    static let expressionWords = ["CASE", "NOT", "NULL", "TRUE", "FALSE", "DISTINCT",
                                  "COUNT", "SUM", "AVG", "MIN", "MAX", "ROUND", "ABS", "COALESCE", "NULLIF", "GROUPING"]

    /// Replacements for the partial word at the end of `text` (the statement so far, earlier
    /// lines included), each including its opening quote when it is a string.
    func candidates(before text: String) -> (replacements: [String], partialOffset: Int, fileNames: Bool) {
        let context = CompletionAnalyzer.context(before: text)
        let partial = context.partial
        let definition = cube.definition
        let offered: [String]
        switch context.expectation {
        case .nothing, .freeText:
            offered = []
        case let .keywords(keywords):
            offered = matching(keywords, partial, matchCase: true)
        case .cubeName:
            offered = matching([cube.name], partial)
        case .column:
            offered = matching(columnNames, partial) + (partial.isEmpty ? [] : matching(Self.expressionWords, partial, matchCase: true))
        case .ratioMeasure:
            offered = matching(ratioMeasures, partial)
        case let .rule(keywords):
            offered = matching(definition.rules.map(\.name), partial) + matching(keywords, partial, matchCase: true)
        case .measure:
            offered = matching(definition.measures.map(\.name), partial)
                + (partial.isEmpty ? [] : matching(Self.expressionWords, partial, matchCase: true))
        case let .groupable(groupingKeywords):
            offered = matching(dimensionNames + definition.hierarchies.map(\.name), partial)
                + (groupingKeywords ? matching(["ROLLUP", "CUBE", "GROUPING"], partial, matchCase: true) : [])
        case .dimension:
            offered = matching(dimensionNames, partial)
        case let .memberValue(dimension):
            let bytes = Array(text.utf8)
            let quote: Character = context.isQuoted && context.partialOffset < bytes.count
                && bytes[context.partialOffset] == UInt8(ascii: "\"") ? "\"" : "'"
            offered = matching(memberValues(of: dimension), partial).map { quoted($0, quote: quote) }
        case .dotCommand:
            return dotCommandCandidates(text, context: context)
        }
        return (offered, context.partialOffset, false)
    }

    // MARK: - Names

    var columnNames: [String] {
        let definition = cube.definition
        return dimensionNames + definition.hierarchies.map(\.name) + definition.measures.map(\.name) + definition.facts.map(\.name)
    }

    /// Dimensions and levels: what a row of a grouping can be labelled by.
    var dimensionNames: [String] {
        cube.definition.dimensions.map(\.name) + cube.definition.levels.map(\.name)
    }

    /// The members of a dimension or derived level, sorted.
    func memberValues(of name: String) -> [String] {
        let definition = cube.definition
        if let column = cube.store.column(named: name), column.type == .dimension {
            return column.dictionary.values.dropFirst().sorted()
        }
        if let level = definition.level(named: name), let source = cube.store.column(named: level.source) {
            return Set(source.dictionary.values.dropFirst().compactMap(level.function.apply)).sorted()
        }
        return []
    }

    private func quoted(_ value: String, quote: Character) -> String {
        let doubled = String(quote) + String(quote)
        return String(quote) + value.replacingOccurrences(of: String(quote), with: doubled) + String(quote)
    }

    /// Words starting with `partial`, case-insensitively. Keywords follow the case the user types.
    private func matching(_ words: [String], _ partial: String, matchCase: Bool = false) -> [String] {
        let lowered = partial.lowercased()
        let found = words.filter { $0.lowercased().hasPrefix(lowered) }
        guard matchCase, let first = partial.first, first.isLowercase else { return found }
        return found.map { $0.lowercased() }
    }

    // MARK: - Dot-commands

    private func dotCommandCandidates(_ text: String, context: CompletionContext) -> ([String], Int, Bool) {
        let bytes = Array(text.utf8)
        var lineStart = bytes.count
        while lineStart > 0 && bytes[lineStart - 1] != UInt8(ascii: "\n") { lineStart -= 1 }
        let line = String(decoding: bytes[lineStart...], as: UTF8.self)
        let words = line.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
        let endsInSpace = line.last == " "
        if words.count <= 1 && !endsInSpace {
            return (matching(Session.dotCommands.map(\.name), context.partial), context.partialOffset, false)
        }
        let command = words[0].lowercased()
        if Session.fileCommands.contains(command) { return ([], context.partialOffset, true) }
        let options: [String]
        switch command {
        case ".mode": options = OutputMode.allCases.map(\.rawValue)
        case ".timer", ".bail": options = ["on", "off"]
        case ".describe": options = [cube.name]
        default: options = []
        }
        return (matching(options, endsInSpace ? "" : context.partial), context.partialOffset, false)
    }
}
