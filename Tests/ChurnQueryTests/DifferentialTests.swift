import ChurnGenerator
import ChurnIngest
import ChurnQuery
import ChurnSyntax
import Foundation
import Testing

/// One generated query in both dialects: ChurnCube's (named measures by name) and DuckDB's
/// (measures expanded to their formulas).
struct QueryPair {
    var churnCube: String
    var duckDB: String
    /// The first `keyCount` columns identify a row; rows are matched on them when unordered.
    var keyCount: Int
    var ordered: Bool
}

/// A deterministic random source for query generation.
struct SplitMix {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    mutating func below(_ bound: Int) -> Int { Int(next() % UInt64(bound)) }
    mutating func chance(_ percent: Int) -> Bool { below(100) < percent }
    mutating func pick<T>(_ items: [T]) -> T { items[below(items.count)] }
    mutating func sample<T>(_ items: [T], _ count: Int) -> [T] {
        var pool = items
        var chosen: [T] = []
        for _ in 0..<min(count, pool.count) { chosen.append(pool.remove(at: below(pool.count))) }
        return chosen
    }
}

/// Generates random slices, groupings, rollups, measures, HAVING, ORDER BY and LIMIT.
struct QueryGenerator {
    var random: SplitMix
    let members: [String: [String]]
    let measureFormulas: [(String, String)]

    static let dimensions = ["region", "channel", "segment", "plan", "tier", "usage_pattern", "country", "campaign",
                             "period", "health", "industry", "cohort"]
    /// Levels ChurnCube derives, and the same in DuckDB SQL.
    static let levels = ["quarter": "substr(period, 1, 4) || '-Q' || CAST((CAST(substr(period, 6, 2) AS INTEGER) + 2) // 3 AS VARCHAR)",
                         "year": "substr(period, 1, 4)"]
    static let rawAggregates: [(String, String)] = [
        ("COUNT(*)", "COUNT(*)"), ("SUM(churned)", "SUM(churned)"), ("SUM(mrr_start)", "SUM(mrr_start)"),
        ("AVG(seats_active)", "AVG(seats_active)"), ("MIN(mrr_end)", "MIN(mrr_end)"), ("MAX(logins)", "MAX(logins)"),
        ("COUNT(nps)", "COUNT(nps)"), ("AVG(nps)", "AVG(nps)"), ("COUNT(DISTINCT account_id)", "COUNT(DISTINCT account_id)"),
        ("SUM(churned) * 1.0 / COUNT(*)", "SUM(churned) * 1.0 / COUNT(*)"), ("SUM(upsell_mrr - downsell_mrr)", "SUM(upsell_mrr - downsell_mrr)"),
        ("MAX(period)", "MAX(period)"), ("COUNT(DISTINCT country)", "COUNT(DISTINCT country)"),
        // Money stays exact through arithmetic: the movements of the month add up to zero.
        ("SUM(mrr_end - mrr_start - upsell_mrr - crosssell_mrr + downsell_mrr + churned_mrr)",
         "SUM(mrr_end - mrr_start - upsell_mrr - crosssell_mrr + downsell_mrr + churned_mrr)"),
        ("SUM(mrr_start * 2 - churned_mrr)", "SUM(mrr_start * 2 - churned_mrr)"), ("MAX(mrr_end - mrr_start)", "MAX(mrr_end - mrr_start)"),
        ("SUM(seats_licensed - seats_active)", "SUM(seats_licensed - seats_active)"),
    ]

    /// The questions of an account list: top accounts by a sum, ties broken by the account.
    mutating func accountQuery() -> QueryPair {
        let (measure, duck) = random.pick([("SUM(churned_mrr + downsell_mrr)", "SUM(churned_mrr + downsell_mrr)"),
                                           ("COUNT(*)", "COUNT(*)"), ("SUM(logins)", "SUM(logins)"), ("SUM(mrr_start)", "SUM(mrr_start)")])
        var churn = "SELECT account_id, \(measure) AS v, COUNT(*) AS n FROM subscriptions"
        var duckSQL = "SELECT account_id, \(duck) AS v, COUNT(*) AS n FROM subscriptions"
        if random.chance(60) {
            let filter = predicate(depth: 0)
            churn += " WHERE " + filter
            duckSQL += " WHERE " + filter
        }
        let direction = random.chance(70) ? "DESC" : "ASC"
        let limit = 1 + random.below(25)
        let offset = random.chance(30) ? " OFFSET \(random.below(5))" : ""
        let tail = " GROUP BY account_id ORDER BY v \(direction), account_id LIMIT \(limit)\(offset)"
        return QueryPair(churnCube: churn + tail, duckDB: duckSQL + tail, keyCount: 1, ordered: true)
    }

    mutating func next() -> QueryPair {
        if random.chance(8) { return accountQuery() }
        // Grouping columns (sometimes a derived level).
        var keys = random.sample(Self.dimensions, random.below(4))
        if random.chance(15) { keys.append(random.pick(["quarter", "year"])) }
        let duckKey = { (key: String) -> String in Self.levels[key] ?? key }
        var items: [(String, String)] = keys.map { ($0, Self.levels[$0].map { "\($0) AS \(String($0.prefix(0)))" } ?? $0) }
        items = keys.map { key in (key, Self.levels[key].map { "\($0) AS \(key)" } ?? key) }
        let measureCount = 1 + random.below(4)
        for _ in 0..<measureCount {
            if random.chance(50) {
                let (name, formula) = random.pick(measureFormulas)
                items.append((name, "\(formula) AS \(name)"))
            } else {
                items.append(random.pick(Self.rawAggregates))
            }
        }
        var churnSQL = "SELECT " + items.map(\.0).joined(separator: ", ") + " FROM subscriptions"
        var duckSQL = "SELECT " + items.map(\.1).joined(separator: ", ") + " FROM subscriptions"
        if random.chance(70) {
            let filter = predicate(depth: 0)
            churnSQL += " WHERE " + filter
            duckSQL += " WHERE " + filter
        }
        var ordered = false
        if !keys.isEmpty {
            let kind = random.below(4)
            let list = keys.joined(separator: ", ")
            let duckList = keys.map(duckKey).joined(separator: ", ")
            switch kind {
            case 0:
                churnSQL += " GROUP BY \(list)"
                duckSQL += " GROUP BY \(duckList)"
            case 1:
                churnSQL += " GROUP BY ROLLUP(\(list))"
                duckSQL += " GROUP BY ROLLUP(\(duckList))"
            case 2:
                churnSQL += " GROUP BY CUBE(\(list))"
                duckSQL += " GROUP BY CUBE(\(duckList))"
            default:
                let sets = ["(\(list))", "(\(keys[0]))", "()"]
                let duckSets = ["(\(duckList))", "(\(duckKey(keys[0])))", "()"]
                churnSQL += " GROUP BY GROUPING SETS (\(sets.joined(separator: ", ")))"
                duckSQL += " GROUP BY GROUPING SETS (\(duckSets.joined(separator: ", ")))"
            }
            if random.chance(30) {
                let threshold = random.pick([1, 5, 50, 500])
                churnSQL += " HAVING COUNT(*) >= \(threshold)"
                duckSQL += " HAVING COUNT(*) >= \(threshold)"
            }
            if kind == 0 && random.chance(40) {
                let direction = random.chance(50) ? "DESC" : "ASC"
                let order = keys.map { "\($0) \(direction)" }.joined(separator: ", ")
                let limit = 1 + random.below(20)
                let offset = random.chance(30) ? " OFFSET \(random.below(5))" : ""
                churnSQL += " ORDER BY \(order) LIMIT \(limit)\(offset)"
                duckSQL += " ORDER BY \(keys.map { "\(duckKey($0)) \(direction)" }.joined(separator: ", ")) LIMIT \(limit)\(offset)"
                ordered = true
            }
        }
        return QueryPair(churnCube: churnSQL, duckDB: duckSQL, keyCount: keys.count, ordered: ordered)
    }

    mutating func predicate(depth: Int) -> String {
        if depth < 2 && random.chance(35) {
            let left = predicate(depth: depth + 1)
            let right = predicate(depth: depth + 1)
            let combined = "(\(left) \(random.chance(60) ? "AND" : "OR") \(right))"
            return random.chance(15) ? "NOT \(combined)" : combined
        }
        let dimension = random.pick(["region", "channel", "segment", "plan", "tier", "usage_pattern", "country", "period", "health"])
        let values = members[dimension] ?? []
        let value = "'\(random.pick(values))'"
        switch random.below(9) {
        case 0: return "\(dimension) = \(value)"
        case 1: return "\(dimension) <> \(value)"
        case 2: return "\(dimension) IN (\(random.sample(values, 1 + random.below(3)).map { "'\($0)'" }.joined(separator: ", ")))"
        case 3: return "\(dimension) NOT IN (\(random.sample(values, 1 + random.below(2)).map { "'\($0)'" }.joined(separator: ", ")))"
        case 4:
            let periods = (members["period"] ?? []).sorted()
            let low = random.below(periods.count)
            let high = min(periods.count - 1, low + random.below(12))
            return "period BETWEEN '\(periods[low])' AND '\(periods[high])'"
        case 5: return "period >= '\(random.pick(members["period"] ?? []))'"
        case 6: return "\(random.pick(["country", "campaign", "plan"])) LIKE '\(random.pick(["%a%", "s%", "_e%", "%r"]))'"
        case 7: return random.chance(50) ? "nps IS NULL" : "nps IS NOT NULL"
        case 8:
            let column = random.pick(["mrr_start", "logins", "seats_active", "support_tickets"])
            let op = random.pick(["<", "<=", ">", ">=", "="])
            return "\(column) \(op) \(random.pick([0, 3, 50, 500, 1200]))"
        default:
            return factThreshold()
        }
    }

    /// Conditions on fact columns of every kind: integers, 0/1 flags, money with cents, the
    /// nullable NPS, and exact money arithmetic.
    mutating func factThreshold() -> String {
        let op = random.pick(["<", "<=", ">", ">=", "=", "<>"])
        switch random.below(6) {
        case 0:
            let column = random.pick(["days_since_exec_contact", "days_since_user_contact", "logins", "features_used", "seats_licensed"])
            return "\(column) \(op) \(random.pick([0, 1, 15, 30, 60, 90, 400]))"
        case 1:
            let column = random.pick(["churned", "cancelled", "renewal_due", "renewed"])
            return "\(column) \(random.pick(["= 1", "= 0", "> 0", "<> 1", ">= 1", "< 1"]))"
        case 2:
            let column = random.pick(["mrr_start", "mrr_end", "churned_mrr", "upsell_mrr", "downsell_mrr"])
            return "\(column) \(op) \(random.pick(["0", "0.5", "99.99", "250", "1200.25", "0.005"]))"
        case 3:
            return "nps \(op) \(random.pick([0, 6, 7, 9, 10]))"
        case 4:
            return random.pick(["mrr_end - mrr_start = crosssell_mrr", "mrr_end - mrr_start = upsell_mrr + crosssell_mrr - downsell_mrr - churned_mrr",
                                "upsell_mrr + crosssell_mrr > 100.5", "seats_active * 2 > seats_licensed", "mrr_end - mrr_start < -0.01",
                                "mrr_start - churned_mrr >= 1000"])
        default:
            return "renewal_due = 1 AND days_since_exec_contact > \(random.pick([15, 60]))"
        }
    }
}

@Suite(.serialized) struct DifferentialTests {
    /// Both row orders of the export, and row groups small enough that pruning, whole-group
    /// matches and the merge of many partial groups all occur.
    @Test(arguments: [(RowOrder.account, 4096, UInt64(2026)), (RowOrder.period, 700, UInt64(4242))])
    func generatedQueriesMatchDuckDB(order: RowOrder, rowGroupSize: Int, querySeed: UInt64) throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("churncube-diff-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let csvPath = directory.appendingPathComponent("facts.csv").path
        let bytes = FactGenerator(options: GeneratorOptions(rows: 30_000, seed: 7, order: order)).bytes()
        #expect(FileManager.default.createFile(atPath: csvPath, contents: Data(bytes)))

        var options = IngestOptions(cubePath: PackagePaths.path("Cubes/subscriptions.yaml"))
        options.rowGroupSize = rowGroupSize
        let (cube, _) = try CSVLoader.load(path: csvPath, options: options)
        let engine = try QueryEngine(cube: cube)

        var members: [String: [String]] = [:]
        for name in QueryGenerator.dimensions { members[name] = Array(cube.store.column(named: name)!.dictionary.values.dropFirst()) }
        // mrr is semi-additive: the behaviour files test it; plain SQL has no single expression for it.
        let formulas = try cube.definition.measures.filter { $0.name != "mrr" }.map {
            ($0.name, nullOnZeroDivision(try Parser.parseExpression($0.formula)).description)
        }
        var generator = QueryGenerator(random: SplitMix(state: querySeed), members: members, measureFormulas: formulas)
        let pairs = (0..<300).map { _ in generator.next() }

        let oracle = try runDuckDB(csv: csvPath, queries: pairs.map(\.duckDB))
        var compared = 0
        for (index, pair) in pairs.enumerated() {
            let expected = oracle[index]
            if let error = expected["error"] as? String {
                Issue.record("DuckDB rejected query \(index): \(pair.duckDB)\n\(error)")
                continue
            }
            let expectedRows = (expected["rows"] as? [[Any]] ?? []).map { $0.map(OracleValue.init) }
            let result: QueryResult
            do {
                result = try engine.execute(pair.churnCube)
            } catch {
                Issue.record("ChurnCube failed query \(index): \(pair.churnCube)\n\(error)")
                continue
            }
            let actualRows = result.rows.map { $0.map(OracleValue.init) }
            if let difference = compare(actualRows, expectedRows, keyCount: pair.keyCount, ordered: pair.ordered) {
                Issue.record("query \(index) differs: \(difference)\nChurnCube: \(pair.churnCube)\nDuckDB:    \(pair.duckDB)")
            } else {
                compared += 1
            }
        }
        #expect(compared == pairs.count)
    }
}

/// A value from either engine, reduced to what both can say: text, number or NULL.
enum OracleValue: CustomStringConvertible {
    case null
    case text(String)
    case number(Double)

    init(_ any: Any) {
        if let text = any as? String { self = .text(text) }
        else if let number = any as? Double { self = .number(number) }
        else if let number = any as? Int { self = .number(Double(number)) }
        else if let flag = any as? Bool { self = .number(flag ? 1 : 0) }
        else { self = .null }
    }

    init(_ value: ResultValue) {
        switch value {
        case .null, .subtotal: self = .null
        case let .text(text): self = .text(text)
        case let .boolean(flag): self = .number(flag ? 1 : 0)
        default: self = .number(value.doubleValue ?? .nan)
        }
    }

    var description: String {
        switch self {
        case .null: return "NULL"
        case let .text(text): return "'\(text)'"
        case let .number(number): return "\(number)"
        }
    }

    func matches(_ other: OracleValue) -> Bool {
        switch (self, other) {
        case (.null, .null): return true
        case let (.text(a), .text(b)): return a == b
        case let (.number(a), .number(b)): return abs(a - b) <= 1e-9 * max(abs(a), abs(b)) + 1e-12
        default: return false
        }
    }
}

/// DuckDB gives NaN or infinity for x / 0 where the cube's measures are NULL: divide by NULLIF(d, 0).
private func nullOnZeroDivision(_ expression: ChurnSyntax.Expression) -> ChurnSyntax.Expression {
    switch expression.kind {
    case let .binary(op, left, right):
        let (l, r) = (nullOnZeroDivision(left), nullOnZeroDivision(right))
        return op == .divide ? .binary(.divide, l, .call("NULLIF", r, .integer(0))) : .binary(op, l, r)
    default:
        return expression
    }
}

private func compare(_ actual: [[OracleValue]], _ expected: [[OracleValue]], keyCount: Int, ordered: Bool) -> String? {
    guard actual.count == expected.count else { return "\(actual.count) rows, DuckDB \(expected.count)" }
    func key(_ row: [OracleValue]) -> String { row.prefix(keyCount).map(\.description).joined(separator: "|") }
    let left = ordered ? actual : actual.sorted { key($0) < key($1) }
    let right = ordered ? expected : expected.sorted { key($0) < key($1) }
    for (a, b) in zip(left, right) {
        guard a.count == b.count, zip(a, b).allSatisfy({ $0.matches($1) }) else {
            return "row \(a) vs DuckDB \(b)"
        }
    }
    return nil
}

private func runDuckDB(csv: String, queries: [String]) throws -> [[String: Any]] {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = ["python3", PackagePaths.path("Tests/ChurnQueryTests/Oracle/duckdb_oracle.py")]
    let input = Pipe(), output = Pipe(), errors = Pipe()
    process.standardInput = input
    process.standardOutput = output
    process.standardError = errors
    try process.run()
    let request = try JSONSerialization.data(withJSONObject: ["csv": csv, "queries": queries])
    input.fileHandleForWriting.write(request)
    try input.fileHandleForWriting.close()
    let data = output.fileHandleForReading.readDataToEndOfFile()
    let errorText = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    process.waitUntilExit()
    guard process.terminationStatus == 0, let results = try JSONSerialization.jsonObject(with: data) as? [[String: Any]] else {
        throw OracleFailure(message: "DuckDB oracle failed (is the duckdb Python package installed? .ci/setup --test installs it): \(errorText)")
    }
    return results
}

struct OracleFailure: Error, CustomStringConvertible {
    var message: String
    var description: String { message }
}
