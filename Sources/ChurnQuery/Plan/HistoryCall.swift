import ChurnModel
import ChurnSyntax

/// `previous(column, n)` or `avg_previous(column, n)` in a condition: a value from the account's
/// own history, n months back. Each call becomes a column of its own (`HistoryColumnBuilder`),
/// which the rest of the query reads like any fact column.
package struct HistoryCall: Hashable, Sendable {
    package enum Function: String, Sendable {
        /// The account's value in the month n months before (NULL without exactly one row then).
        case previous
        /// The mean of the account's values in the n months before (NULL without one).
        case averagePrevious = "avg_previous"
    }

    package let function: Function
    /// The fact column read, as the cube spells it, and its kind.
    package let factName: String
    package let factKind: FactColumn.Kind
    package let months: Int

    /// The name the computed column goes by: how the call reads, so that result headers show it.
    package var columnName: String { "\(function.rawValue)(\(factName), \(months))" }

    /// The computed column's kind: `previous` keeps the column's, a mean is a double.
    package var kind: FactColumn.Kind { function == .previous ? factKind : .double }

    static let functionNames = FunctionCall.historyNames

    /// Whether `expression` holds a history call.
    static func appears(in expression: Expression) -> Bool {
        expression.contains { node in
            if case let .function(call) = node.kind { return functionNames.contains(call.name.normalized) }
            return false
        }
    }

    /// The call `call` stands for, checked against the cube: a fact column and a whole number of
    /// months within the data's span.
    static func bind(_ call: FunctionCall, at range: SourceRange, catalog: CubeCatalog, monthSpan: Int) throws -> HistoryCall {
        let name = call.name.normalized
        let function: Function = name == "previous" ? .previous : .averagePrevious
        let usage = "\(name)(column, months), e.g. \(name)(logins, 3)"
        guard case let .list(arguments) = call.arguments, arguments.count == 2 else {
            throw QueryError("\(name) takes a fact column and a number of months: \(usage)", at: range)
        }
        guard case let .column(identifier) = arguments[0].kind else {
            throw QueryError("\(name) reads a fact column of the account's earlier rows; '\(arguments[0])' is not a column", at: arguments[0].range,
                             hint: usage)
        }
        let fact: FactColumn
        switch catalog.resolve(identifier.name) {
        case let .fact(_, found)?:
            fact = found
        case .attribute?, .hierarchy?:
            throw QueryError("\(name) reads a number from the account's earlier rows; '\(identifier.name)' is a dimension", at: identifier.range,
                             hint: "compare a dimension of the same row instead, e.g. health = 'red'")
        case .measure?:
            throw QueryError("\(name) reads a fact column of one row; '\(identifier.name)' is a measure, aggregated over rows", at: identifier.range)
        case nil:
            throw catalog.unknownName(identifier, expected: "fact column")
        }
        guard case let .integer(months) = arguments[1].kind else {
            throw QueryError("\(name) needs a whole number of months as its second argument, e.g. \(name)(\(fact.name), 3)", at: arguments[1].range)
        }
        guard months >= 1, months <= max(1, monthSpan) else {
            throw QueryError("\(name)(\(fact.name), \(months)) looks \(months) months back; the data spans \(monthSpan + 1) months, "
                             + "so 1 to \(max(1, monthSpan)) months", at: arguments[1].range)
        }
        return HistoryCall(function: function, factName: fact.name, factKind: fact.kind, months: months)
    }

    /// `expression` with each history call replaced by a reference to its computed column;
    /// `bound` gives the call for each call node met.
    static func rewrite(_ expression: Expression, _ bound: (FunctionCall, SourceRange) throws -> HistoryCall) rethrows -> Expression {
        guard appears(in: expression) else { return expression }
        return try expression.mapped { node in
            guard case let .function(call) = node.kind, functionNames.contains(call.name.normalized) else { return node }
            return Expression(.column(Identifier(try bound(call, node.range).columnName, range: node.range)), range: node.range)
        }
    }
}
