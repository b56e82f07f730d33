/// A name as written: compared and hashed case-insensitively, spelled as the user typed it.
///
/// Double-quoted identifiers are case-insensitive too (as in DuckDB); quoting only lets a
/// name contain any character or match a reserved keyword.
package struct Identifier: Hashable, Sendable, CustomStringConvertible {
    package var name: String
    @IgnoredInEquality package var range: SourceRange

    package init(_ name: String, range: SourceRange = .synthesized) {
        self.name = name
        self.range = range
    }

    /// The lowercase form used for lookups.
    package var normalized: String { name.lowercased() }

    package static func == (lhs: Identifier, rhs: Identifier) -> Bool {
        lhs.normalized == rhs.normalized
    }

    package func hash(into hasher: inout Hasher) {
        hasher.combine(normalized)
    }

    /// The name as SQL: bare when it lexes back as the same word, otherwise double-quoted.
    package var description: String {
        Identifier.needsQuotes(name) ? "\"" + name.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : name
    }

    static func needsQuotes(_ name: String) -> Bool {
        let bytes = Array(name.utf8)
        guard let first = bytes.first, first.isIdentifierStart, bytes.allSatisfy(\.isIdentifierPart) else {
            return true
        }
        return Keyword(word: name)?.isReserved ?? false
    }
}
