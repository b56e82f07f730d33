/// A binary operator, with the precedence the parser and the renderer share.
package enum BinaryOperator: String, Hashable, Sendable, CaseIterable {
    case add = "+", subtract = "-", multiply = "*", divide = "/"
    case equal = "=", notEqual = "<>", less = "<", lessOrEqual = "<=", greater = ">", greaterOrEqual = ">="
    case and = "AND", or = "OR"

    /// Higher binds tighter: OR 1, AND 2, (NOT 3), comparisons 4, `+ -` 5, `* /` 6.
    package var precedence: Int {
        switch self {
        case .or: return 1
        case .and: return 2
        case .equal, .notEqual, .less, .lessOrEqual, .greater, .greaterOrEqual: return 4
        case .add, .subtract: return 5
        case .multiply, .divide: return 6
        }
    }

    package var isComparison: Bool { precedence == 4 }
}
