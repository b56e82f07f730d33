import ChurnModel
import ChurnStorage

/// One grouped aggregation compiled to SQL: the keys, the grouping sets and the aggregates of a
/// query become a GROUPING SETS statement whose rows carry a grouping id, the row count and one
/// column per aggregate part. Ratio measures are not divided remotely: the engine evaluates its
/// outputs over the sums, so rates, NULL on a zero denominator and rounding are its own.
struct AggregateSQL {
    let dialect: SQLDialect
    let table: String
    let catalog: CubeCatalog
    let filter: RowPredicate?
    let keys: [GroupAttribute]
    /// Positions in `keys`.
    let groupingSets: [[Int]]
    let specs: [AggregateSpec]

    /// How a result column maps back to an aggregate.
    enum Part {
        case value(spec: Int)
        case moment(spec: Int, component: Int)
    }

    /// The main statement's aggregate columns, after the keys, the grouping id and the count.
    private(set) var parts: [Part] = []
    /// Aggregates computed by the last-period statement (semi-additive sums), in its column order.
    private(set) var lastPeriodSpecs: [Int] = []

    private var writer: SQLExpressionWriter { source.writer }

    init(dialect: SQLDialect, table: String, catalog: CubeCatalog, filter: RowPredicate?, keys: [GroupAttribute],
         groupingSets: [[Int]], specs: [AggregateSpec]) throws {
        self.dialect = dialect
        self.table = table
        self.catalog = catalog
        self.filter = filter
        self.keys = keys
        self.groupingSets = groupingSets
        self.specs = specs
        for (index, spec) in specs.enumerated() {
            switch spec {
            case .countRows: continue
            case .lastSum: lastPeriodSpecs.append(index)
            case .secondMoments: parts += (0..<3).map { .moment(spec: index, component: $0) }
            default: parts.append(.value(spec: index))
            }
        }
        for key in keys { _ = try SQLRowSource(dialect: dialect, table: table, catalog: catalog, filter: filter).attribute(key) }
    }

    static func keyAlias(_ position: Int) -> String { "k\(position)" }

    /// The grouping id of a set: bit i (the first key the highest) set when key i is rolled up.
    func groupingID(of set: [Int]) -> Int64 {
        var id: Int64 = 0
        for position in keys.indices where !set.contains(position) { id |= 1 << Int64(keys.count - 1 - position) }
        return id
    }

    /// Whether the rows carry a grouping id (several distinct sets).
    var hasGroupingID: Bool { Set(groupingSets).count > 1 }

    // MARK: - Statements

    /// Keys, [grouping id], row count, then `parts`.
    var mainStatement: String {
        var select = keys.indices.map(Self.keyAlias)
        if hasGroupingID { select.append("\(dialect.groupingIDFunction)(\(keys.indices.map(Self.keyAlias).joined(separator: ", "))) AS g") }
        select.append("count(*) AS n")
        for part in parts { select.append(partExpression(part)) }
        return "SELECT " + select.joined(separator: ", ") + "\nFROM " + rowsRelation + groupBy(extra: nil)
    }

    /// The main statement of one grouping set whose last key is the cluster (the account), summed
    /// again per cell for the accounts with rows in that one cell only (and the rows without
    /// one): their key is NULL and `cxx`, `cyy`, `cxy` and `cn` give their number and the sums
    /// of the squares of the aggregates `x` and `y`. An account with rows in several cells keeps
    /// a row per cell, as in the main statement, `cn` 1. Only for sums and row counts.
    func pooledClusterStatement(x: Int, y: Int) -> String? {
        guard groupingSets.count == 1, groupingSets[0].count == keys.count, let accountPosition = keys.indices.last,
              specs.allSatisfy({ spec in
                  switch spec {
                  case .countRows, .sum, .secondMoments: return true
                  default: return false
                  }
              }) else { return nil }
        let cellKeys = keys.indices.dropLast().map(Self.keyAlias)
        let account = Self.keyAlias(accountPosition)
        let pooledAccount = "CASE WHEN single = 1 THEN NULL ELSE \(account) END"
        var select = cellKeys + ["\(pooledAccount) AS \(account)", "sum(n) AS n"]
        for part in parts {
            let alias: String
            switch part {
            case let .value(spec): alias = "v\(spec)"
            case let .moment(spec, component): alias = "m\(spec)_\(component)"
            }
            select.append("sum(\(alias)) AS \(alias)")
        }
        select += ["sum(v\(x) * v\(x)) AS cxx", "sum(v\(y) * v\(y)) AS cyy", "sum(v\(x) * v\(y)) AS cxy", "count(*) AS cn"]
        let marked = "SELECT segments.*, CASE WHEN \(account) IS NULL OR count(*) OVER (PARTITION BY \(account)) = 1 THEN 1 ELSE 0 END AS single"
            + "\nFROM (" + mainStatement + ") AS segments"
        return "SELECT " + select.joined(separator: ", ") + "\nFROM (" + marked + ") AS marked\nGROUP BY "
            + (cellKeys + [pooledAccount]).joined(separator: ", ")
    }

    /// Keys, [grouping id], then one sum per last-period aggregate: each cell's sums per period,
    /// then the latest period's (NULL periods before every other).
    var lastPeriodStatement: String? {
        guard !lastPeriodSpecs.isEmpty else { return nil }
        var inner = keys.indices.map(Self.keyAlias) + ["p"]
        if hasGroupingID { inner.append("\(dialect.groupingIDFunction)(\((keys.indices.map(Self.keyAlias) + ["p"]).joined(separator: ", "))) AS g") }
        var outer = keys.indices.map(Self.keyAlias)
        if hasGroupingID { outer.append("g") }
        for (position, index) in lastPeriodSpecs.enumerated() {
            guard case let .lastSum(input, _) = specs[index] else { continue }
            inner.append("\(sum(input)) AS s\(position)")
            outer.append("\(dialect.lastValueFunction)(s\(position), named_struct('known', p IS NOT NULL, 'period', p)) AS l\(position)")
        }
        let periods = "SELECT " + inner.joined(separator: ", ") + "\nFROM " + rowsRelation(period: true) + groupBy(extra: "p")
        let grouping = (hasGroupingID ? ["g"] : []) + keys.indices.map(Self.keyAlias)
        return "SELECT " + outer.joined(separator: ", ") + "\nFROM (" + periods + ") AS periods"
            + (grouping.isEmpty ? "" : "\nGROUP BY " + grouping.joined(separator: ", "))
    }

    private func groupBy(extra: String?) -> String {
        let extras = extra.map { [$0] } ?? []
        if !hasGroupingID {
            let columns = (groupingSets.first ?? []).map(Self.keyAlias) + extras
            return columns.isEmpty ? "" : "\nGROUP BY " + columns.joined(separator: ", ")
        }
        let sets = groupingSets.map { set in "(" + (set.map(Self.keyAlias) + extras).joined(separator: ", ") + ")" }
        return "\nGROUP BY GROUPING SETS (" + sets.joined(separator: ", ") + ")"
    }

    // MARK: - Rows

    private var source: SQLRowSource { SQLRowSource(dialect: dialect, table: table, catalog: catalog, filter: filter) }

    private var rowsRelation: String { rowsRelation(period: false) }

    /// The filtered rows with the keys computed and the fact columns the aggregates read.
    private func rowsRelation(period: Bool) -> String {
        var outputs = keys.enumerated().map { position, key in ((try? source.attribute(key)) ?? "NULL", Self.keyAlias(position)) }
        var columns = Set(keys.map(\.column))
        if period, let attribute = lastPeriodAttribute {
            outputs.append(((try? source.attribute(attribute)) ?? "NULL", "p"))
            columns.insert(attribute.column)
        }
        for column in readFacts {
            outputs.append((SQLExpressionWriter.factAlias(column), SQLExpressionWriter.factAlias(column)))
            columns.insert(column)
        }
        for index in aggregateAttributes {
            outputs.append(((try? source.attribute(catalog.attributes[index])) ?? "NULL", "a\(index)"))
            columns.insert(catalog.attributes[index].column)
        }
        return source.relation(outputs: outputs.map { (sql: $0.0, alias: $0.1) }, columns: columns)
    }

    private var lastPeriodAttribute: GroupAttribute? {
        for index in lastPeriodSpecs { if case let .lastSum(_, attribute) = specs[index] { return catalog.attributes[attribute] } }
        return nil
    }

    private var readFacts: [Int] {
        Set(specs.flatMap { spec -> [Int] in
            switch spec {
            case let .secondMoments(x, y): return x.columns + y.columns
            default: return spec.input?.columns ?? []
            }
        }).sorted()
    }

    /// Catalog attributes the aggregates read (COUNT(region), MIN(period), COUNT(DISTINCT account_id)).
    private var aggregateAttributes: [Int] {
        Set(specs.compactMap { spec -> Int? in
            switch spec {
            case let .countAttribute(attribute), let .countDistinct(attribute), let .minAttribute(attribute), let .maxAttribute(attribute):
                return attribute
            default: return nil
            }
        }).sorted()
    }

    // MARK: - Aggregates

    private func sum(_ input: RowExpression) -> String { SQLExpressionWriter.sum(writer.expression(input), of: input) }

    private func partExpression(_ part: Part) -> String {
        switch part {
        case let .moment(index, component):
            guard case let .secondMoments(x, y) = specs[index] else { return "NULL" }
            let (a, b) = ("coalesce(\(writer.expression(.approximate(x))), 0D)", "coalesce(\(writer.expression(.approximate(y))), 0D)")
            let product = [("\(a) * \(a)"), ("\(b) * \(b)"), ("\(a) * \(b)")][component]
            return "sum(\(product)) AS m\(index)_\(component)"
        case let .value(index):
            return "\(aggregateExpression(specs[index])) AS v\(index)"
        }
    }

    private func aggregateExpression(_ spec: AggregateSpec) -> String {
        switch spec {
        case .countRows: return "count(*)"
        case let .count(input): return "count(\(writer.expression(input)))"
        case let .countAttribute(attribute): return "count(a\(attribute))"
        case let .countDistinct(attribute): return "count(DISTINCT a\(attribute))"
        case let .sum(input): return sum(input)
        case let .min(input), let .max(input):
            let function = if case .min = spec { "min" } else { "max" }
            if case let .exact(scale) = input.valueType { return "CAST(\(function)(\(writer.expression(input))) AS DECIMAL(38, \(scale)))" }
            return "\(function)(\(writer.expression(input)))"
        case let .minAttribute(attribute): return "min(a\(attribute))"
        case let .maxAttribute(attribute): return "max(a\(attribute))"
        case .lastSum, .secondMoments: return "NULL"
        }
    }
}
