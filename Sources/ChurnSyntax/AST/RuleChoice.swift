/// What flags an account-month in ALERTS and BACKTEST: a condition written in the statement
/// (`WHEN ...`), or rules of the cube definition by name (every rule when none is named).
package enum RuleChoice: Hashable, Sendable, CustomStringConvertible {
    case condition(Expression)
    case rules([Identifier])

    package var description: String {
        switch self {
        case let .condition(condition): return "WHEN \(condition)"
        case let .rules(names): return names.map(\.description).joined(separator: ", ")
        }
    }
}
