import ChurnModel
import ChurnSyntax

/// Tab completion that knows the cube: keywords, the cube name after FROM and DESCRIBE, names
/// of dimensions, levels, hierarchies, measures and facts where a column goes, member values
/// after `dimension =` (quoted, the closing quote added), dot-commands and their arguments.
struct Completer {
    let cube: Cube

    /// Replacements for the partial word at the end of `text` (the statement so far, earlier
    /// lines included), each including its opening quote when it is a string.
    func candidates(before text: String) -> (replacements: [String], partialOffset: Int, fileNames: Bool) {
        let context = CompletionAnalyzer.context(before: text)
        let partial = context.partial
        switch context.expectation {
        case .nothing, .freeText:
            return ([], context.partialOffset, false)
        case .keyword:
            return (matching(Keyword.all, partial, matchCase: true), context.partialOffset, false)
        case .cubeName:
            return (matching([cube.name], partial), context.partialOffset, false)
        case .column:
            var names = matching(columnNames, partial)
            if !partial.isEmpty { names += matching(Keyword.all, partial, matchCase: true) }
            return (names, context.partialOffset, false)
        case let .memberValue(dimension):
            let bytes = Array(text.utf8)
            let quote: Character = context.isQuoted && context.partialOffset < bytes.count
                && bytes[context.partialOffset] == UInt8(ascii: "\"") ? "\"" : "'"
            let values = matching(memberValues(of: dimension), partial)
            return (values.map { quoted($0, quote: quote) }, context.partialOffset, false)
        case .dotCommand:
            return dotCommandCandidates(text, context: context)
        }
    }

    // MARK: - Names

    var columnNames: [String] {
        let definition = cube.definition
        return definition.dimensions.map(\.name) + definition.levels.map(\.name) + definition.hierarchies.map(\.name)
            + definition.measures.map(\.name) + definition.facts.map(\.name)
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

    static let fileCommands: Set<String> = [".read", ".open", ".output", ".save"]

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
        if Self.fileCommands.contains(command) { return ([], context.partialOffset, true) }
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
