// MARK: - Walking expressions without deep recursion

/// Walks that keep their own stack: the parser builds `a AND b AND ...` and `x + y + ...` as
/// left-nested trees, so a query of thousands of terms is thousands of levels deep.
extension Expression {
    /// The direct subexpressions, in source order.
    package var children: [Expression] {
        switch kind {
        case .column, .integer, .decimal, .string, .boolean, .null:
            return []
        case let .negate(operand), let .not(operand), let .isNull(operand, _):
            return [operand]
        case let .binary(_, left, right), let .like(left, right, _):
            return [left, right]
        case let .function(call):
            return call.argumentList
        case let .caseWhen(caseExpression):
            var parts = caseExpression.operand.map { [$0] } ?? []
            for branch in caseExpression.branches { parts += [branch.condition, branch.result] }
            if let elseResult = caseExpression.elseResult { parts.append(elseResult) }
            return parts
        case let .inList(subject, items, _):
            return [subject] + items
        case let .between(subject, lower, upper, _):
            return [subject, lower, upper]
        }
    }

    /// True when `predicate` holds for this expression or one of its subexpressions.
    package func contains(where predicate: (Expression) throws -> Bool) rethrows -> Bool {
        var pending = [self]
        while let next = pending.popLast() {
            if try predicate(next) { return true }
            pending += next.children
        }
        return false
    }

    /// Levels from this node down to its deepest leaf; 1 for a leaf.
    package var height: Int {
        var deepest = 0
        var pending = [(self, 1)]
        while let (next, level) = pending.popLast() {
            deepest = max(deepest, level)
            for child in next.children { pending.append((child, level + 1)) }
        }
        return deepest
    }

    /// The operands of a chain of `op` (`a AND b AND (c AND d)` gives a, b, c, d), in source
    /// order; the expression itself when it is not such an operation.
    package func operands(of op: BinaryOperator) -> [Expression] {
        var operands: [Expression] = []
        var pending = [self]
        while let next = pending.popLast() {
            if case let .binary(nextOp, left, right) = next.kind, nextOp == op {
                pending += [right, left]
            } else {
                operands.append(next)
            }
        }
        return operands
    }
}

// MARK: - Rebuilding expressions

extension Expression {
    /// The expression rebuilt bottom-up: `transform` sees each node with its children already
    /// transformed. Recursive: for the short expressions of rules and history calls.
    package func mapped(_ transform: (Expression) throws -> Expression) rethrows -> Expression {
        var result = self
        switch kind {
        case .column, .integer, .decimal, .string, .boolean, .null:
            break
        case let .function(call):
            var rewritten = call
            switch call.arguments {
            case .star: break
            case let .list(items): rewritten.arguments = .list(try items.map { try $0.mapped(transform) })
            case let .distinct(items): rewritten.arguments = .distinct(try items.map { try $0.mapped(transform) })
            }
            result.kind = .function(rewritten)
        case let .negate(inner): result.kind = .negate(try inner.mapped(transform))
        case let .not(inner): result.kind = .not(try inner.mapped(transform))
        case let .isNull(inner, negated): result.kind = .isNull(try inner.mapped(transform), negated: negated)
        case let .binary(op, left, right): result.kind = .binary(op, try left.mapped(transform), try right.mapped(transform))
        case let .like(value, pattern, negated):
            result.kind = .like(try value.mapped(transform), pattern: try pattern.mapped(transform), negated: negated)
        case let .inList(value, items, negated):
            result.kind = .inList(try value.mapped(transform), try items.map { try $0.mapped(transform) }, negated: negated)
        case let .between(value, lower, upper, negated):
            result.kind = .between(try value.mapped(transform), lower: try lower.mapped(transform), upper: try upper.mapped(transform),
                                   negated: negated)
        case let .caseWhen(caseExpression):
            var rewritten = caseExpression
            rewritten.operand = try caseExpression.operand.map { try $0.mapped(transform) }
            rewritten.branches = try caseExpression.branches.map { branch in
                CaseExpression.Branch(condition: try branch.condition.mapped(transform), result: try branch.result.mapped(transform))
            }
            rewritten.elseResult = try caseExpression.elseResult.map { try $0.mapped(transform) }
            result.kind = .caseWhen(rewritten)
        }
        return try transform(result)
    }
}
