/// One entry of a SELECT list: `*`, or an expression with an optional alias.
package struct SelectItem: Hashable, Sendable {
    /// The two forms of a select item.
    package enum Kind: Hashable, Sendable {
        case wildcard
        case expression(Expression, alias: Identifier?)
    }

    package var kind: Kind
    @IgnoredInEquality package var range: SourceRange

    package init(_ kind: Kind, range: SourceRange = .synthesized) {
        self.kind = kind
        self.range = range
    }

    package static func expression(_ expression: Expression, alias: Identifier? = nil) -> SelectItem {
        SelectItem(.expression(expression, alias: alias))
    }

    package static let wildcard = SelectItem(.wildcard)

    /// The column header: the alias, the column name, or the canonical expression text.
    package var outputName: String? {
        guard case let .expression(expression, alias) = kind else { return nil }
        return alias?.name ?? expression.columnName?.name ?? expression.description
    }
}
