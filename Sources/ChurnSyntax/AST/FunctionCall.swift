/// A call `name(arguments)`; aggregates included.
package struct FunctionCall: Hashable, Sendable {
    /// `*` as in `COUNT(*)`, a plain list, or `DISTINCT` list as in `COUNT(DISTINCT d)`.
    package enum Arguments: Hashable, Sendable {
        case star
        case list([Expression])
        case distinct([Expression])
    }

    package var name: Identifier
    package var arguments: Arguments

    package init(name: Identifier, arguments: Arguments) {
        self.name = name
        self.arguments = arguments
    }

    package static let aggregateNames: Set<String> = ["count", "sum", "avg", "min", "max"]

    /// Functions reading an account's earlier rows: `previous(column, n)`, `avg_previous(column, n)`.
    package static let historyNames: Set<String> = ["previous", "avg_previous"]

    package var isAggregate: Bool { FunctionCall.aggregateNames.contains(name.normalized) }

    /// The argument expressions, empty for `*`.
    package var argumentList: [Expression] {
        switch arguments {
        case .star: return []
        case let .list(items), let .distinct(items): return items
        }
    }
}
