import ChurnModel
import ChurnStorage
import ChurnSyntax

/// ALERTS [rule, ... | WHEN condition] AS OF month: the accounts still active in the month
/// (`churned = 0`) that rules of the cube (all of them when none is named) or a condition flag,
/// each with the rules that fired, the values that fired them, its MRR at risk (`mrr_start`)
/// and its dimensions, largest MRR first; the caption sums them up.
///
/// A drill-through SELECT of the month's flagged rows, which give the summary (flagged accounts and
/// their MRR; a LIMIT needs an aggregate SELECT for it), the MRR of every active account of the
/// month in the slice (in the same scan on a local store, else an aggregate SELECT),
/// and with several rules one SELECT of the accounts each flags. History calls are computed for
/// the month's rows only.
struct AccountAlerts {
    let engine: QueryEngine

    /// Dimensions listed beside each account: those with at most this many members.
    static let maximumListedMembers = 64

    func run(_ statement: AlertsStatement, cancellation: Cancellation) throws -> QueryResult {
        guard let axis = TimeAxis(catalog: engine.catalog) else {
            throw QueryError("ALERTS looks at one month; cube '\(engine.cube.name)' has no dimension of months", at: statement.range)
        }
        guard let account = engine.catalog.attribute(named: "account_id") else {
            throw QueryError("ALERTS lists accounts; cube '\(engine.cube.name)' has no account_id dimension", at: statement.range)
        }
        for fact in ["churned", "mrr_start"] { try engine.requireFact(fact, for: "ALERTS", at: statement.range) }
        let months = axis.monthIndex.compactMap { $0 }
        guard let latest = months.max() else { throw QueryError("the cube has no months", at: statement.range) }
        let month = statement.asOf ?? TimeAxis.label(of: latest)
        guard let code = axis.month.dictionary.code(of: month), code != 0, let monthIndex = axis.monthIndex[Int(code)] else {
            throw QueryError("'\(month)' is no month of the data", at: statement.asOfRange,
                             hint: "months run from \(TimeAxis.label(of: months.min()!)) to \(TimeAxis.label(of: latest))")
        }
        var rules = try AccountRule.resolve(statement.rules, in: engine.cube.definition, statement: "ALERTS", at: statement.range)
        for rule in rules { try rule.checked { try self.engine.checkHistory(rule.condition) } }
        let history = try self.engine.resolvingHistory(rules.map { Optional($0.condition) } + [statement.filter] + statement.orderBy.map(\.expression),
                                                  for: "ALERTS", onlyMonth: monthIndex, cancellation: cancellation)
        let engine = history.engine, catalog = engine.catalog
        for index in rules.indices { rules[index].condition = history.expressions[index]! }
        let filter = history.expressions[rules.count]
        var orderBy = statement.orderBy
        for index in orderBy.indices { orderBy[index].expression = history.expressions[rules.count + 1 + index]! }
        for rule in rules {
            var binder = PredicateBinder(catalog: catalog)
            try rule.checked { _ = try binder.bind(rule.condition) }
        }

        // The columns the conditions (then ORDER BY) read, in the order they are named, then the
        // MRR and the dimensions.
        var named: [String] = []
        var pending = orderBy.map(\.expression).reversed() + rules.map(\.condition).reversed()
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
        let slice = filter.map { Expression.binary(.and, inMonth, $0) } ?? inMonth
        let anyRule = rules.dropFirst().reduce(rules[0].condition) { Expression.binary(.or, $0, $1.condition) }
        let flagged = Expression.binary(.and, slice, anyRule)
        var items: [SelectItem] = [.expression(.column(account.name))]
        items += named.map { SelectItem(.expression(.column($0), alias: nil)) }
        items.append(SelectItem(.expression(.column("mrr_start"), alias: Identifier("mrr_at_risk"))))
        items += dimensions.map { SelectItem(.expression(.column($0), alias: nil)) }
        let order = orderBy.isEmpty
            ? [OrderItem(.column("mrr_start"), direction: .descending), OrderItem(.column(account.name))]
            : orderBy
        let select = SelectStatement(items: items, cube: statement.cube, filter: flagged, orderBy: order, limit: statement.limit)
        // The whole list, and the MRR of every active account of the month, come from one scan
        // where the store allows it.
        let listed = statement.limit == nil
            ? try engine.rows(of: select, keeping: anyRule, of: slice, totaling: "mrr_start", countingMembersOf: 0,
                              cancellation: cancellation) : nil
        var list = try listed?.rows ?? engine.execute(Statement(.select(select)), cancellation: cancellation)

        // The whole list holds what the summary counts; a cut one needs its own scan.
        let mrrColumn = 1 + named.count
        let summed = statement.limit == nil ? Self.summary(of: list.rows, account: 0, mrr: mrrColumn, accounts: listed?.members) : nil
        let (accounts, atRisk): (Double, ResultValue)
        if let summed {
            (accounts, atRisk) = (Double(summed.accounts), summed.mrr)
        } else {
            let summary = try engine.execute(Statement(.select(SelectStatement(
                items: [.expression(.countDistinct(.column(account.name))), .expression(.call("SUM", .column("mrr_start")))],
                cube: statement.cube, filter: flagged))), cancellation: cancellation)
            (accounts, atRisk) = (summary.rows.first?[0].doubleValue ?? 0, summary.rows.first?[1] ?? .null)
        }
        let all = try listed?.total ?? engine.execute(Statement(.select(SelectStatement(
            items: [.expression(.call("SUM", .column("mrr_start")))], cube: statement.cube, filter: slice))), cancellation: cancellation)
            .rows.first?[0] ?? .null

        // Named rules: which fired for each listed account.
        var ruleCounts: [Int] = []
        if rules.contains(where: { $0.name != nil }) {
            var fired: [[ByteString?: Bool]] = []
            if rules.count > 1 {
                for rule in rules {
                    let accounts = try engine.execute(Statement(.select(SelectStatement(
                        items: [.expression(.column(account.name))], cube: statement.cube,
                        filter: .binary(.and, slice, rule.condition)))), cancellation: cancellation)
                    let keys = Dictionary(accounts.rows.map { (Self.key($0[0]), true) }, uniquingKeysWith: { a, _ in a })
                    fired.append(keys)
                    // Accounts, as the summary counts them: rows without one are listed but not counted.
                    ruleCounts.append(keys.keys.filter { $0 != nil }.count)
                }
            } else {
                ruleCounts = [Int(accounts)]
            }
            list.columns.insert(ResultColumn(name: "rules", role: .dimension, format: .text), at: 1)
            for index in list.rows.indices {
                let key = Self.key(list.rows[index][0])
                let names = rules.indices.filter { fired.isEmpty || fired[$0][key] != nil }.map { rules[$0].name! }
                list.rows[index].insert(.text(names.joined(separator: ", ")), at: 1)
            }
        }

        let subject = statement.rules == .rules([]) ? "" : " \(statement.rules)"
        var caption = "ALERTS\(subject) AS OF \(month): \(Thousands.grouped(Int(accounts))) active account"
            + (accounts == 1 ? "" : "s") + " flagged"
        if let risk = atRisk.doubleValue {
            caption += ", MRR at risk " + Self.money(risk)
            if let total = all.doubleValue, total > 0 { caption += String(format: " (%.1f%% of the month's MRR, ", 100 * risk / total) + Self.money(total) + ")" }
        }
        if let limit = statement.limit, Int(accounts) > limit { caption += "; the first \(limit) shown" }
        for (rule, count) in zip(rules, ruleCounts) {
            caption += "\n  \(rule.name!): \(Thousands.grouped(count)) account" + (count == 1 ? "" : "s")
                + (rule.says.isEmpty ? "" : " (\(rule.says))")
        }
        list.text = caption
        list.details = [ResultDetail(name: "accounts_flagged", value: .integer(Int64(accounts))), ResultDetail(name: "mrr_at_risk", value: atRisk),
                        ResultDetail(name: "mrr_of_month", value: all)]
        list.details += zip(rules, ruleCounts).map { ResultDetail(name: "flagged_by_\($0.name!)", value: .integer(Int64($1))) }
        list.warnings = history.warnings + list.warnings
        return list
    }

    /// The distinct accounts of listed rows and the exact sum of their MRR, as COUNT(DISTINCT) and
    /// SUM give them (NULLs left out; no MRR at all is NULL); nil when the MRR is not fixed-point.
    /// `counted` is the accounts when the scan counted them by their codes.
    private static func summary(of rows: [[ResultValue]], account: Int, mrr: Int, accounts counted: Int?) -> (accounts: Int, mrr: ResultValue)? {
        // By bytes, as COUNT(DISTINCT) tells members apart: String equality would merge an
        // accent written precomposed and decomposed.
        var accounts = Set<ByteString>(minimumCapacity: counted == nil ? rows.count : 0)
        var units: Int64 = 0, scale: Int?
        for row in rows {
            if counted == nil, case let .text(name) = row[account] { accounts.insert(ByteString(name)) }
            switch row[mrr] {
            case .null: continue
            case let .decimal(value, valueScale) where scale == nil || scale == valueScale:
                let (sum, overflow) = units.addingReportingOverflow(value)
                if overflow { return nil }
                units = sum
                scale = valueScale
            default: return nil
            }
        }
        return (counted ?? accounts.count, scale.map { ResultValue.decimal(units: units, scale: $0) } ?? .null)
    }

    /// An account's value as a key for matching rows of two results, by its bytes; rows without
    /// an account share the key nil.
    private static func key(_ value: ResultValue) -> ByteString? {
        if case let .text(text) = value { return ByteString(text) }
        return nil
    }

    private static func money(_ value: Double) -> String {
        let cents = (value * 100).rounded()
        return Thousands.grouped(Int(cents / 100)) + "." + String(format: "%02d", Int(abs(cents).truncatingRemainder(dividingBy: 100)))
    }
}

import Foundation
