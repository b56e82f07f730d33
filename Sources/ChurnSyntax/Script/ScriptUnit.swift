/// One piece of a script or REPL buffer: a statement (without its `;`) or a dot-command
/// line, with where it starts in the buffer so errors can be reported as `file:line:col`.
package struct ScriptUnit: Hashable, Sendable {
    /// Statements go to the parser; dot-commands (`.mode csv`) to the shell.
    package enum Kind: Hashable, Sendable {
        case statement
        case dotCommand
    }

    package var kind: Kind
    /// The text from its first significant character, trailing whitespace trimmed.
    package var text: String
    /// UTF-8 byte offset of `text` in the buffer.
    package var offset: Int
    package var line: Int
    package var column: Int

    package init(_ kind: Kind, text: String, offset: Int, line: Int, column: Int) {
        self.kind = kind
        self.text = text
        self.offset = offset
        self.line = line
        self.column = column
    }
}
