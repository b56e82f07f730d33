/// A scalar or predicate expression: literals, column references, arithmetic, comparisons,
/// `AND`/`OR`/`NOT`, `IN`, `BETWEEN`, `LIKE`, `IS NULL`, `CASE` and function calls.
///
/// Aggregates are ordinary function calls (`COUNT(*)`, `SUM(x)`, `COUNT(DISTINCT d)`), as are
/// `GROUPING(col)` and scalar functions: the planner decides which names exist. Parentheses
/// leave no node; they only widen the range. Equality ignores ranges.
package struct Expression: Hashable, Sendable {
    /// The shape of the expression.
    package indirect enum Kind: Hashable, Sendable {
        case column(Identifier)
        case integer(Int)
        case decimal(Double)
        case string(String)
        case boolean(Bool)
        case null
        /// Unary minus.
        case negate(Expression)
        case not(Expression)
        case binary(BinaryOperator, Expression, Expression)
        case function(FunctionCall)
        case caseWhen(CaseExpression)
        case inList(Expression, [Expression], negated: Bool)
        case between(Expression, lower: Expression, upper: Expression, negated: Bool)
        case like(Expression, pattern: Expression, negated: Bool)
        case isNull(Expression, negated: Bool)
    }

    package var kind: Kind
    @IgnoredInEquality package var range: SourceRange

    package init(_ kind: Kind, range: SourceRange = .synthesized) {
        self.kind = kind
        self.range = range
    }

    /// True for literals, including NULL.
    package var isLiteral: Bool {
        switch kind {
        case .integer, .decimal, .string, .boolean, .null: return true
        default: return false
        }
    }

    /// The referenced name when this is a bare column reference.
    package var columnName: Identifier? {
        if case let .column(name) = kind { return name }
        return nil
    }
}
