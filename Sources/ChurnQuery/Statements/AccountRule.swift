import ChurnModel
import ChurnSyntax

/// A condition that flags account-months in ALERTS and BACKTEST: written in the statement
/// (`WHEN ...`), or a rule of the cube definition, parsed from its `when:` text.
struct AccountRule {
    /// The rule's name; nil for a condition written in the statement.
    let name: String?
    var condition: Expression
    let says: String
    /// `file:line` of a rule's condition.
    let place: String?
    /// How the condition reads in captions: its name, or `WHEN condition` as written.
    let label: String

    init(name: String?, condition: Expression, says: String, place: String?) {
        self.name = name
        self.condition = condition
        self.says = says
        self.place = place
        label = name ?? "WHEN \(condition)"
    }

    /// The rules `choice` names (all of the cube's when it names none). Conditions of rules
    /// carry the range of their name in the statement: their own text is in the cube file.
    static func resolve(_ choice: RuleChoice, in definition: CubeDefinition, statement: String, at range: SourceRange) throws -> [AccountRule] {
        switch choice {
        case let .condition(condition):
            return [AccountRule(name: nil, condition: condition, says: "", place: nil)]
        case let .rules(names):
            if names.isEmpty {
                guard !definition.rules.isEmpty else {
                    throw QueryError("cube '\(definition.name)' has no rules", at: range,
                                     hint: "write \(statement) WHEN condition, or add rules: to the cube definition")
                }
                return try definition.rules.map { try parse($0, in: definition, at: range) }
            }
            return try names.map { name in
                guard let rule = definition.rule(named: name.name) else {
                    let known = definition.rules.map(\.name)
                    let hint = closestMatch(to: name.name, among: known).map { "did you mean '\($0)'?" }
                        ?? (known.isEmpty ? "cube '\(definition.name)' has no rules; add rules: to its definition"
                                          : "its rules: " + known.joined(separator: ", "))
                    throw QueryError("unknown rule '\(name.name)'", at: name.range, hint: hint)
                }
                return try parse(rule, in: definition, at: name.range)
            }
        }
    }

    private static func parse(_ rule: RuleDefinition, in definition: CubeDefinition, at range: SourceRange) throws -> AccountRule {
        let place = rule.line > 0 ? "\(definition.origin):\(rule.line)" : definition.origin
        let condition: Expression
        do {
            condition = try Parser.parseExpression(rule.condition)
        } catch {
            throw QueryError("rule '\(rule.name)' (\(place)) does not parse: \(error.diagnostic.message)", at: range)
        }
        return AccountRule(name: rule.name, condition: condition.mapped { node in
            var moved = node
            moved.range = range
            return moved
        }, says: rule.says, place: place)
    }

    /// Runs `body`, naming the rule and where it is written in any error it throws.
    func checked<T>(_ body: () throws -> T) throws -> T {
        guard let name, let place else { return try body() }
        do {
            return try body()
        } catch let error as QueryError {
            var located = error
            located.diagnostic.message = "rule '\(name)' (\(place)): \(error.diagnostic.message)"
            throw located
        }
    }
}
