/// `CASE [operand] WHEN ... THEN ... [ELSE ...] END`.
package struct CaseExpression: Hashable, Sendable {
    /// One `WHEN condition THEN result` arm.
    package struct Branch: Hashable, Sendable {
        package var condition: Expression
        package var result: Expression

        package init(condition: Expression, result: Expression) {
            self.condition = condition
            self.result = result
        }
    }

    /// Set for the simple form `CASE x WHEN 1 THEN ...`, where conditions are compared to it.
    package var operand: Expression?
    package var branches: [Branch]
    package var elseResult: Expression?

    package init(operand: Expression? = nil, branches: [Branch], elseResult: Expression? = nil) {
        self.operand = operand
        self.branches = branches
        self.elseResult = elseResult
    }
}
