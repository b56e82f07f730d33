/// The result of splitting a buffer: the finished units and whatever is left open at the end.
package struct ScriptSplit: Hashable, Sendable {
    /// A construct the buffer ends inside of.
    package enum OpenConstruct: Hashable, Sendable {
        case string, quotedIdentifier, blockComment, lineComment
    }

    /// Statements closed by `;` and dot-command lines, in order.
    package var units: [ScriptUnit]
    /// A statement begun but not closed by `;`. Batch mode may still run it; a REPL shows
    /// its continuation prompt instead.
    package var trailing: ScriptUnit?
    package var openConstruct: OpenConstruct?

    package init(units: [ScriptUnit], trailing: ScriptUnit?, openConstruct: OpenConstruct?) {
        self.units = units
        self.trailing = trailing
        self.openConstruct = openConstruct
    }

    /// True when the buffer needs more input: an unterminated statement, string, quoted
    /// identifier or block comment. A final `--` comment does not count.
    package var isIncomplete: Bool {
        trailing != nil || (openConstruct != nil && openConstruct != .lineComment)
    }

    /// Every unit to run in batch mode: the finished ones, then the trailing statement.
    package var allUnits: [ScriptUnit] {
        units + (trailing.map { [$0] } ?? [])
    }
}
