// MARK: - Building expressions in code

/// Shorthands for planner rewrites and tests; the nodes carry `SourceRange.synthesized`.
extension Expression {
    package static func column(_ name: String) -> Expression { Expression(.column(Identifier(name))) }
    package static func integer(_ value: Int) -> Expression { Expression(.integer(value)) }
    package static func decimal(_ value: Double) -> Expression { Expression(.decimal(value)) }
    package static func string(_ value: String) -> Expression { Expression(.string(value)) }
    package static func boolean(_ value: Bool) -> Expression { Expression(.boolean(value)) }
    package static let null = Expression(.null)

    package static func negate(_ operand: Expression) -> Expression { Expression(.negate(operand)) }
    package static func not(_ operand: Expression) -> Expression { Expression(.not(operand)) }

    package static func binary(_ op: BinaryOperator, _ left: Expression, _ right: Expression) -> Expression {
        Expression(.binary(op, left, right))
    }

    package static func call(_ name: String, _ arguments: Expression...) -> Expression {
        Expression(.function(FunctionCall(name: Identifier(name), arguments: .list(arguments))))
    }

    package static func countStar() -> Expression {
        Expression(.function(FunctionCall(name: Identifier("COUNT"), arguments: .star)))
    }

    package static func countDistinct(_ arguments: Expression...) -> Expression {
        Expression(.function(FunctionCall(name: Identifier("COUNT"), arguments: .distinct(arguments))))
    }

    package static func inList(_ subject: Expression, _ items: [Expression], negated: Bool = false) -> Expression {
        Expression(.inList(subject, items, negated: negated))
    }

    package static func between(
        _ subject: Expression, _ lower: Expression, _ upper: Expression, negated: Bool = false
    ) -> Expression {
        Expression(.between(subject, lower: lower, upper: upper, negated: negated))
    }

    package static func like(_ subject: Expression, _ pattern: Expression, negated: Bool = false) -> Expression {
        Expression(.like(subject, pattern: pattern, negated: negated))
    }

    package static func isNull(_ subject: Expression, negated: Bool = false) -> Expression {
        Expression(.isNull(subject, negated: negated))
    }

    package static func caseWhen(
        operand: Expression? = nil, _ branches: [(Expression, Expression)], else elseResult: Expression? = nil
    ) -> Expression {
        let arms = branches.map { CaseExpression.Branch(condition: $0.0, result: $0.1) }
        return Expression(.caseWhen(CaseExpression(operand: operand, branches: arms, elseResult: elseResult)))
    }
}
