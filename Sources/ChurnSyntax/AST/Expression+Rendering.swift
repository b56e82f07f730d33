// MARK: - Canonical SQL text

extension Expression: CustomStringConvertible {
    /// Canonical SQL: uppercase keywords and function names, single spaces around binary
    /// operators, and only the parentheses precedence requires, so parsing the text gives back
    /// an equal expression. Used for column headers and EXPLAIN.
    package var description: String {
        switch kind {
        case let .column(name):
            return name.description
        case let .integer(value):
            return String(value)
        case let .decimal(value):
            return value.description
        case let .string(value):
            return Expression.quotedString(value)
        case let .boolean(value):
            return value ? "TRUE" : "FALSE"
        case .null:
            return "NULL"
        case let .negate(operand):
            let text = operand.rendered(atLeast: 7)
            // "--" would start a comment.
            return text.hasPrefix("-") ? "-(\(text))" : "-" + text
        case let .not(operand):
            return "NOT " + operand.rendered(atLeast: 3)
        case .binary:
            return binaryDescription
        case let .function(call):
            return call.description
        case let .caseWhen(caseExpression):
            return caseExpression.description
        case let .inList(subject, items, negated):
            let list = items.map(\.description).joined(separator: ", ")
            return "\(subject.rendered(atLeast: 5)) \(negated ? "NOT IN" : "IN") (\(list))"
        case let .between(subject, lower, upper, negated):
            return "\(subject.rendered(atLeast: 5)) \(negated ? "NOT BETWEEN" : "BETWEEN") "
                + "\(lower.rendered(atLeast: 5)) AND \(upper.rendered(atLeast: 5))"
        case let .like(subject, pattern, negated):
            return "\(subject.rendered(atLeast: 5)) \(negated ? "NOT LIKE" : "LIKE") \(pattern.rendered(atLeast: 5))"
        case let .isNull(subject, negated):
            return "\(subject.rendered(atLeast: 5)) \(negated ? "IS NOT NULL" : "IS NULL")"
        }
    }

    /// A binary operation with its left operands: chains such as `a + b + c` nest to the left,
    /// and thousands of terms are rendered by walking that spine in a loop.
    private var binaryDescription: String {
        var pieces: [String] = []
        var node = self
        while case let .binary(op, left, right) = node.kind {
            pieces.append(" \(op.rawValue) \(right.rendered(atLeast: op.precedence + 1))")
            let leftMinimum = op.isComparison ? op.precedence + 1 : op.precedence
            if case .binary = left.kind, left.precedence >= leftMinimum {
                node = left
                continue
            }
            pieces.append(left.rendered(atLeast: leftMinimum))
            break
        }
        return pieces.reversed().joined()
    }

    /// How tightly the expression binds, on the scale of `BinaryOperator.precedence`.
    var precedence: Int {
        switch kind {
        case let .binary(op, _, _): return op.precedence
        case .not: return 3
        case .inList, .between, .like, .isNull: return 4
        case .negate: return 7
        case let .integer(value) where value < 0: return 7
        case let .decimal(value) where value < 0: return 7
        default: return 8
        }
    }

    private func rendered(atLeast minimum: Int) -> String {
        precedence < minimum ? "(\(description))" : description
    }

    static func quotedString(_ value: String) -> String {
        "'" + value.replacingOccurrences(of: "'", with: "''") + "'"
    }
}

extension FunctionCall: CustomStringConvertible {
    package var description: String {
        // SQL's functions in capitals; the history functions, which read like columns, in lowercase.
        let name = Identifier.needsQuotes(self.name.name) ? self.name.description
            : FunctionCall.historyNames.contains(self.name.normalized) ? self.name.normalized : self.name.name.uppercased()
        switch arguments {
        case .star:
            return name + "(*)"
        case let .list(items):
            return name + "(" + items.map(\.description).joined(separator: ", ") + ")"
        case let .distinct(items):
            return name + "(DISTINCT " + items.map(\.description).joined(separator: ", ") + ")"
        }
    }
}

extension CaseExpression: CustomStringConvertible {
    package var description: String {
        var parts = ["CASE"]
        if let operand { parts.append(operand.description) }
        for branch in branches {
            parts.append("WHEN \(branch.condition) THEN \(branch.result)")
        }
        if let elseResult { parts.append("ELSE \(elseResult)") }
        parts.append("END")
        return parts.joined(separator: " ")
    }
}
