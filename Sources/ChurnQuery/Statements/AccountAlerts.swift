import ChurnModel
import ChurnStorage
import ChurnSyntax

/// ALERTS WHEN condition AS OF month: the accounts still active in the month (`churned = 0`)
/// whose row the condition flags, each with the values that fired it, its MRR at risk
/// (`mrr_start`) and its dimensions, largest MRR first; the caption sums them up.
///
/// A drill-through SELECT of the month's flagged rows, and one aggregate SELECT for the summary
/// (flagged accounts, their MRR, and the MRR of every active account of the month in the slice).
struct AccountAlerts {
    let engine: QueryEngine

    /// Dimensions listed beside each account: those with at most this many members.
    static let maximumListedMembers = 64

    func run(_ statement: AlertsStatement, cancellation: Cancellation) throws -> QueryResult {
        let catalog = engine.catalog
        guard let axis = TimeAxis(catalog: catalog) else {
            throw QueryError("ALERTS looks at one month; cube '\(engine.cube.name)' has no dimension of months", at: statement.range)
        }
        guard let account = catalog.attribute(named: "account_id") else {
            throw QueryError("ALERTS lists accounts; cube '\(engine.cube.name)' has no account_id dimension", at: statement.range)
        }
        for fact in ["churned", "mrr_start"] { try engine.requireFact(fact, for: "ALERTS", at: statement.range) }
        let months = axis.monthIndex.compactMap { $0 }
        guard let latest = months.max() else { throw QueryError("the cube has no months", at: statement.range) }
        let month = statement.asOf ?? TimeAxis.label(of: latest)
        guard let code = axis.month.dictionary.code(of: month), code != 0 else {
            throw QueryError("'\(month)' is no month of the data", at: statement.asOfRange,
                             hint: "months run from \(TimeAxis.label(of: months.min()!)) to \(TimeAxis.label(of: latest))")
        }

        // The columns the condition (then ORDER BY) reads, in the order they are named, then the
        // MRR and the dimensions.
        var named: [String] = []
        var pending = statement.orderBy.map(\.expression).reversed() + [statement.condition]
        while let expression = pending.popLast() {
            if case let .column(identifier) = expression.kind, catalog.resolve(identifier.name) != nil,
               !named.contains(where: { $0.lowercased() == identifier.normalized }) {
                named.append(identifier.name)
            }
            pending += expression.children.reversed()
        }
        named = named.filter { $0.lowercased() != account.name.lowercased() && $0.lowercased() != "mrr_start" }
        let dimensions = catalog.cube.definition.dimensions.compactMap { dimension -> String? in
            guard dimension.kind == .text, let attribute = catalog.attribute(named: dimension.name), attribute !== account,
                  attribute.codeCount - 1 <= Self.maximumListedMembers,
                  !named.contains(where: { $0.lowercased() == dimension.name.lowercased() }) else { return nil }
            return dimension.name
        }
        let inMonth = Expression.binary(.and, .binary(.equal, .column(axis.month.name), .string(month)),
                                        .binary(.equal, .column("churned"), .integer(0)))
        let slice = statement.filter.map { Expression.binary(.and, inMonth, $0) } ?? inMonth
        let flagged = Expression.binary(.and, slice, statement.condition)
        var items: [SelectItem] = [.expression(.column(account.name))]
        items += named.map { SelectItem(.expression(.column($0), alias: nil)) }
        items.append(SelectItem(.expression(.column("mrr_start"), alias: Identifier("mrr_at_risk"))))
        items += dimensions.map { SelectItem(.expression(.column($0), alias: nil)) }
        let order = statement.orderBy.isEmpty
            ? [OrderItem(.column("mrr_start"), direction: .descending), OrderItem(.column(account.name))]
            : statement.orderBy
        var list = try engine.execute(Statement(.select(SelectStatement(items: items, cube: statement.cube, filter: flagged, orderBy: order,
                                                                       limit: statement.limit))), cancellation: cancellation)

        let summary = try engine.execute(Statement(.select(SelectStatement(
            items: [.expression(.countDistinct(.column(account.name))), .expression(.call("SUM", .column("mrr_start")))],
            cube: statement.cube, filter: flagged))), cancellation: cancellation)
        let whole = try engine.execute(Statement(.select(SelectStatement(
            items: [.expression(.call("SUM", .column("mrr_start")))], cube: statement.cube, filter: slice))), cancellation: cancellation)
        let accounts = summary.rows.first?[0].doubleValue ?? 0
        let atRisk = summary.rows.first?[1] ?? .null, all = whole.rows.first?[0] ?? .null
        var caption = "ALERTS WHEN \(statement.condition) AS OF \(month): \(Thousands.grouped(Int(accounts))) active account"
            + (accounts == 1 ? "" : "s") + " flagged"
        if let risk = atRisk.doubleValue {
            caption += ", MRR at risk " + Self.money(risk)
            if let total = all.doubleValue, total > 0 { caption += String(format: " (%.1f%% of the month's MRR, ", 100 * risk / total) + Self.money(total) + ")" }
        }
        if let limit = statement.limit, Int(accounts) > limit { caption += "; the first \(limit) shown" }
        list.text = caption
        list.details = [ResultDetail(name: "accounts_flagged", value: .integer(Int64(accounts))), ResultDetail(name: "mrr_at_risk", value: atRisk),
                        ResultDetail(name: "mrr_of_month", value: all)]
        return list
    }

    private static func money(_ value: Double) -> String {
        let cents = (value * 100).rounded()
        return Thousands.grouped(Int(cents / 100)) + "." + String(format: "%02d", Int(abs(cents).truncatingRemainder(dividingBy: 100)))
    }
}

import Foundation
