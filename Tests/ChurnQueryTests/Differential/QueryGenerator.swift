/// Generates queries over the whole language, each in ChurnCube's dialect and DuckDB's: slices
/// (AND, OR, NOT, comparisons, IN, BETWEEN, LIKE, IS NULL on dimensions, levels, facts and row
/// arithmetic), GROUP BY, ROLLUP, CUBE and GROUPING SETS with `()` and their cross products,
/// HAVING, ORDER BY with a total order and LIMIT/OFFSET, global aggregates over empty slices,
/// top-n lists and drill-through.
///
/// Orders are total (every key, and GROUPING of them, breaks ties) and sort only exact values,
/// so both engines must return the same rows in the same order.
struct QueryGenerator {
    var random: SplitMix
    let schema: DifferentialSchema

    init(seed: UInt64, schema: DifferentialSchema) {
        random = SplitMix(state: seed)
        self.schema = schema
    }

    /// An aggregate output: its SQL, whether its value is exact (a count, an exact sum, a
    /// minimum), and whether it is text.
    struct Aggregate {
        var sql: DualSQL
        var exact: Bool
        var text = false
        /// Whether it reads a fact with values near the ends of 64 bits: arithmetic on it is left
        /// out, as DuckDB refuses what ChurnCube widens to a double.
        var extreme = false
    }

    mutating func next() -> QueryPair {
        switch random.below(100) {
        case 0..<8: return topList()
        case 8..<14: return drillThrough()
        case 14..<30: return global()
        default: return grouped()
        }
    }

    // MARK: - Statements

    /// SELECT aggregates with no GROUP BY: one row, even over an empty slice.
    mutating func global() -> QueryPair {
        let items = (0..<(1 + random.below(4))).map { _ in aggregate() }
        var sql = "SELECT " + DualSQL.joined(items.map(\.sql), separator: ", ") + " FROM \(schema.table)"
        sql = sql + whereClause(emptyChance: 30)
        if random.chance(15) { sql = sql + " HAVING " + havingCondition() }
        return QueryPair(churnCube: sql.cube, duckDB: sql.duck, keyCount: 0, ordered: true)
    }

    mutating func grouped() -> QueryPair {
        let grouping = self.grouping()
        var items = grouping.keys.map { DualSQL($0) }
        var keyCount = grouping.keys.count
        let groupingColumn = grouping.setCount > 1
        if groupingColumn {
            items.append(DualSQL("GROUPING(\(grouping.keys.joined(separator: ", ")))"))
            keyCount += 1
        }
        var aggregates: [(Aggregate, alias: String?)] = []
        for index in 0..<(1 + random.below(4)) {
            let aggregate = self.aggregate()
            let alias = random.chance(30) ? "m\(index)" : nil
            aggregates.append((aggregate, alias))
            items.append(aggregate.sql + (alias.map { " AS \($0)" } ?? ""))
        }
        var sql = "SELECT " + DualSQL.joined(items, separator: ", ") + " FROM \(schema.table)"
        sql = sql + whereClause(emptyChance: 8)
        sql = sql + " GROUP BY " + grouping.clause
        if random.chance(30) { sql = sql + " HAVING " + havingCondition() }
        var ordered = false
        if random.chance(55) {
            var order: [DualSQL] = []
            // Exact aggregates first, by position, alias or expression, or one not selected.
            for _ in 0..<random.below(3) {
                let direction = random.pick(["", " ASC", " DESC"])
                let choices = aggregates.indices.filter { !aggregates[$0].0.text && aggregates[$0].0.exact }
                if !choices.isEmpty && !random.chance(20) {
                    let index = random.pick(choices)
                    let (aggregate, alias) = aggregates[index]
                    switch random.below(3) {
                    case 0: order.append(DualSQL("\(keyCount + index + 1)\(direction)"))
                    case 1 where alias != nil: order.append(DualSQL("\(alias!)\(direction)"))
                    default: order.append(aggregate.sql + direction)
                    }
                } else {
                    order.append(exactAggregate().sql + direction)
                }
            }
            for key in grouping.keys {
                let direction = random.pick(["", " ASC", " DESC"])
                let nulls = random.pick(["", "", " NULLS FIRST", " NULLS LAST"])
                order.append(DualSQL(random.chance(15) ? "\(items.firstIndex { $0.cube == key }! + 1)\(direction)\(nulls)" : "\(key)\(direction)\(nulls)"))
            }
            if groupingColumn { order.append(DualSQL("\(grouping.keys.count + 1)\(random.pick(["", " DESC"]))")) }
            sql = sql + " ORDER BY " + DualSQL.joined(order, separator: ", ")
            ordered = true
            if random.chance(60) { sql = sql + limitClause(largest: 25) }
        }
        return QueryPair(churnCube: sql.cube, duckDB: sql.duck, keyCount: keyCount, ordered: ordered)
    }

    /// The questions of an account list: the top of the wide dimension by an exact aggregate,
    /// ties broken by the member.
    mutating func topList() -> QueryPair {
        let wide = schema.wideDimension
        let value = exactAggregate()
        var sql = "SELECT \(wide), " + value.sql + " AS v, COUNT(*) AS n FROM \(schema.table)"
        sql = sql + whereClause(emptyChance: 5)
        let direction = random.chance(70) ? "DESC" : "ASC"
        let nulls = random.pick(["", " NULLS FIRST", " NULLS LAST"])
        sql = sql + " GROUP BY \(wide)"
        if random.chance(20) { sql = sql + " HAVING " + havingCondition() }
        sql = sql + " ORDER BY v \(direction)\(nulls), \(wide)\(random.pick(["", " DESC"]))" + limitClause(largest: 25, always: true)
        return QueryPair(churnCube: sql.cube, duckDB: sql.duck, keyCount: 1, ordered: true)
    }

    /// Fact rows: dimensions, levels, facts and row arithmetic, ordered by the row key.
    mutating func drillThrough() -> QueryPair {
        var columns: [DualSQL]
        if random.chance(15) {
            columns = [DualSQL(cube: "*", duck: schema.storedColumns.joined(separator: ", "))]
        } else {
            columns = schema.rowKey.map { DualSQL($0) }
            for _ in 0..<(1 + random.below(4)) {
                switch random.below(3) {
                case 0: columns.append(DualSQL(random.pick(attributes)))
                case 1: columns.append(DualSQL(random.pick(schema.facts).name))
                default: columns.append(rowExpression(allowDouble: true, allowDivision: true).sql)
                }
            }
        }
        var sql = "SELECT " + DualSQL.joined(columns, separator: ", ") + " FROM \(schema.table)"
        // Always a slice: ordering every row of the cube costs the engines more than it tells.
        sql = sql + whereClause(emptyChance: 5, alwaysFilter: true)
        var order: [DualSQL] = []
        if random.chance(30) {
            let fact = random.pick(schema.facts.filter { $0.kind.isExact })
            order.append(DualSQL("\(fact.name)\(random.pick(["", " DESC"]))\(random.pick(["", " NULLS FIRST"]))"))
        }
        for key in schema.rowKey { order.append(DualSQL("\(key)\(random.pick(["", " DESC"]))")) }
        sql = sql + " ORDER BY " + DualSQL.joined(order, separator: ", ") + limitClause(largest: 40, always: random.chance(80))
        return QueryPair(churnCube: sql.cube, duckDB: sql.duck, keyCount: 0, ordered: true)
    }

    private mutating func limitClause(largest: Int, always: Bool = false) -> String {
        guard always || random.chance(70) else { return "" }
        var clause = " LIMIT \(random.chance(5) ? 0 : 1 + random.below(largest))"
        if random.chance(30) { clause += " OFFSET \(random.below(6))" }
        return clause
    }

    // MARK: - Grouping

    struct Grouping {
        var clause: DualSQL
        var keys: [String]
        var setCount: Int
    }

    private var attributes: [String] { schema.groupable + schema.levels.map(\.name) }

    /// GROUP BY items naming attributes not used yet: attributes or, at times, a hierarchy; at
    /// most `budget` attributes in all, so results stay small.
    private mutating func groupItems(_ count: Int, avoiding used: inout Set<String>, budget: inout Int) -> [(cube: String, keys: [String])] {
        var items: [(cube: String, keys: [String])] = []
        for _ in 0..<count where budget > 0 {
            let remaining = budget
            if random.chance(15), let hierarchy = schema.hierarchies.filter({ $0.levels.count <= remaining && $0.levels.allSatisfy { !used.contains($0) } })
                .randomElement(using: &random) {
                items.append((hierarchy.name, hierarchy.levels))
                used.formUnion(hierarchy.levels)
                budget -= hierarchy.levels.count
            } else if let attribute = attributes.filter({ !used.contains($0) }).randomElement(using: &random) {
                items.append((attribute, [attribute]))
                used.insert(attribute)
                budget -= 1
            }
        }
        return items
    }

    private func dual(_ items: [(cube: String, keys: [String])]) -> DualSQL {
        DualSQL(cube: items.map(\.cube).joined(separator: ", "), duck: items.flatMap(\.keys).joined(separator: ", "))
    }

    mutating func grouping() -> Grouping {
        var used = Set<String>()
        var budget = random.chance(85) ? 3 : 4
        switch random.below(6) {
        case 0, 1:
            let items = groupItems(1 + random.below(3), avoiding: &used, budget: &budget)
            let keys = items.flatMap(\.keys)
            if random.chance(15) && items.allSatisfy({ $0.keys.count == 1 }) {
                // By select-list position: the keys are selected first.
                return Grouping(clause: DualSQL((1...keys.count).map(String.init).joined(separator: ", ")), keys: keys, setCount: 1)
            }
            return Grouping(clause: dual(items), keys: keys, setCount: 1)
        case 2:
            let items = groupItems(1 + random.below(3), avoiding: &used, budget: &budget)
            let keys = items.flatMap(\.keys)
            return Grouping(clause: dual(items).wrapped("ROLLUP(", ")"), keys: keys, setCount: keys.count + 1)
        case 3:
            let items = groupItems(1 + random.below(2), avoiding: &used, budget: &budget)
            let keys = items.flatMap(\.keys)
            return Grouping(clause: dual(items).wrapped("CUBE(", ")"), keys: keys, setCount: 1 << keys.count)
        case 4:
            let items = groupItems(1 + random.below(3), avoiding: &used, budget: &budget)
            var sets: [[Int]] = []
            for _ in 0..<(1 + random.below(4)) {
                sets.append(random.chance(25) ? [] : random.sample(Array(items.indices), 1 + random.below(items.count)))
            }
            // Every item selected is grouped by in some set.
            let missing = items.indices.filter { index in !sets.contains { $0.contains(index) } }
            if !missing.isEmpty { sets.append(missing) }
            let keys = items.indices.flatMap { items[$0].keys }
            let clause = DualSQL.joined(sets.map { set in set.isEmpty ? DualSQL("()") : dual(set.map { items[$0] }).wrapped("(", ")") },
                                        separator: ", ")
            return Grouping(clause: clause.wrapped("GROUPING SETS (", ")"), keys: keys, setCount: max(2, sets.count))
        default:
            // A cross product: a plain item with a ROLLUP, or a ROLLUP with a CUBE.
            let first = groupItems(1, avoiding: &used, budget: &budget)
            let second = groupItems(1 + random.below(2), avoiding: &used, budget: &budget)
            let keys = first.flatMap(\.keys) + second.flatMap(\.keys)
            if second.isEmpty { return Grouping(clause: dual(first).wrapped("ROLLUP(", ")"), keys: keys, setCount: keys.count + 1) }
            if random.chance(50) {
                return Grouping(clause: dual(first) + ", " + dual(second).wrapped("ROLLUP(", ")"), keys: keys, setCount: 2)
            }
            return Grouping(clause: dual(first).wrapped("ROLLUP(", ")") + ", " + dual(second).wrapped("CUBE(", ")"), keys: keys, setCount: 4)
        }
    }

    // MARK: - Aggregates

    mutating func aggregate(depth: Int = 0) -> Aggregate {
        var aggregate = anyAggregate(depth: depth)
        aggregate.extreme = schema.facts.contains { $0.extreme && aggregate.sql.cube.contains($0.name) }
        return aggregate
    }

    private mutating func anyAggregate(depth: Int) -> Aggregate {
        switch random.below(depth == 0 ? 14 : 10) {
        case 0: return Aggregate(sql: DualSQL("COUNT(*)"), exact: true)
        case 1: return Aggregate(sql: DualSQL("COUNT(\(random.pick(schema.facts).name))"), exact: true)
        case 2: return Aggregate(sql: DualSQL("COUNT(\(random.pick(attributes)))"), exact: true)
        case 3: return Aggregate(sql: DualSQL("COUNT(DISTINCT \(random.pick(attributes + [schema.wideDimension])))"), exact: true)
        case 4:
            let fact = random.pick(schema.facts)
            return Aggregate(sql: DualSQL("SUM(\(fact.name))"), exact: fact.kind.isExact)
        case 5:
            let row = rowExpression(allowDouble: false, allowDivision: false, allowExtreme: true)
            return Aggregate(sql: row.sql.wrapped("SUM(", ")"), exact: row.exact)
        case 6:
            let row = random.chance(50) ? (DualSQL(random.pick(schema.facts).name), false) : rowExpression(allowDouble: true, allowDivision: false, allowExtreme: true)
            return Aggregate(sql: row.0.wrapped("AVG(", ")"), exact: false)
        case 7:
            let function = random.pick(["MIN", "MAX"])
            let row = random.chance(50) ? (DualSQL(random.pick(schema.facts).name), true) : rowExpression(allowDouble: true, allowDivision: false, allowExtreme: true)
            return Aggregate(sql: row.0.wrapped("\(function)(", ")"), exact: row.1)
        case 8:
            return Aggregate(sql: DualSQL("\(random.pick(["MIN", "MAX"]))(\(random.pick(attributes)))"), exact: true, text: true)
        case 9:
            let measure = random.pick(schema.measures)
            return Aggregate(sql: DualSQL(cube: measure.name, duck: "(\(measure.duckDB))"), exact: measure.exact)
        case 10, 11:
            let left = numericAggregate(depth: depth + 1)
            switch random.below(5) {
            case 0, 1:
                let right = numericAggregate(depth: depth + 1)
                let op = random.pick(["+", "-"])
                return Aggregate(sql: left.sql + " \(op) " + right.sql, exact: left.exact && right.exact)
            case 2:
                return Aggregate(sql: left.sql + " * \(random.pick(["2", "-1", "3", "100"]))", exact: left.exact)
            case 3:
                let right = numericAggregate(depth: depth + 1)
                return Aggregate(sql: DualSQL(cube: "\(left.sql.cube) / \(right.sql.cube)", duck: "\(left.sql.duck) / NULLIF(\(right.sql.duck), 0)"),
                                 exact: false)
            default:
                return Aggregate(sql: "-" + left.sql.wrapped("(", ")"), exact: left.exact)
            }
        case 12:
            let inner = numericAggregate(depth: depth + 1)
            switch random.below(4) {
            case 0: return Aggregate(sql: inner.sql.wrapped("ROUND(", ", \(random.pick(["0", "1", "2", "-1"])))"), exact: false)
            case 1: return Aggregate(sql: inner.sql.wrapped("ABS(", ")"), exact: inner.exact)
            case 2: return Aggregate(sql: inner.sql.wrapped("COALESCE(", ", 0)"), exact: inner.exact)
            default: return Aggregate(sql: inner.sql.wrapped("NULLIF(", ", 0)"), exact: inner.exact)
            }
        default:
            let inner = exactAggregate(depth: depth + 1)
            let threshold = random.pick(["0", "1", "3", "10", "100", "1000.5"])
            let otherwise = random.chance(70) ? " ELSE 'low'" : ""
            return Aggregate(sql: DualSQL("CASE WHEN ") + inner.sql + " > \(threshold) THEN 'high' WHEN " + inner.sql + " IS NULL THEN 'none'\(otherwise) END",
                             exact: true, text: true)
        }
    }

    /// A number to compute on: not text, nor near the ends of 64 bits.
    private mutating func numericAggregate(depth: Int) -> Aggregate {
        while true {
            let candidate = aggregate(depth: depth)
            if !candidate.text && !candidate.extreme { return candidate }
        }
    }

    /// A count, an exact sum or an extremum: safe to order by and compare.
    mutating func exactAggregate(depth: Int = 1) -> Aggregate {
        while true {
            let candidate = aggregate(depth: depth)
            if candidate.exact && !candidate.text { return candidate }
        }
    }

    /// A condition on aggregates, compared exactly.
    mutating func havingCondition(depth: Int = 0) -> DualSQL {
        if depth < 2 && random.chance(25) {
            let combined = havingCondition(depth: depth + 1) + " \(random.pick(["AND", "OR"])) " + havingCondition(depth: depth + 1)
            return random.chance(20) ? combined.wrapped("NOT (", ")") : combined.wrapped("(", ")")
        }
        switch random.below(5) {
        case 0:
            return DualSQL("COUNT(*) \(random.pick([">=", ">", "<", "="])) \(random.pick([0, 1, 2, 5, 10, 50]))")
        case 1:
            let measure = random.pick(schema.measures)
            return DualSQL(cube: measure.name, duck: "(\(measure.duckDB))") + (measure.exact ? " > \(random.pick([0, 1, 3, 20]))" : random.pick([" IS NULL", " IS NOT NULL"]))
        case 2:
            let fact = random.pick(schema.facts.filter { $0.kind.isExact && !$0.extreme })
            return DualSQL("SUM(\(fact.name)) \(random.pick([">", "<=", "<>"])) \(random.pick(fact.literals))")
        case 3:
            let attribute = random.pick(attributes)
            return DualSQL("\(random.pick(["MIN", "MAX"]))(\(attribute)) \(random.pick(["<", ">="])) ") + DualSQL(quote(member(of: attribute)))
        default:
            return exactAggregate().sql + random.pick([" IS NULL", " IS NOT NULL", " > 0", " <= 0"])
        }
    }

    // MARK: - Row expressions

    /// Arithmetic on fact columns: exact on integers and money (never money times money, whose
    /// units leave 64 bits), approximate with doubles or division. `allowExtreme`: inside an
    /// aggregate, where both engines evaluate it on exactly the rows of the slice (in WHERE,
    /// which conditions see which rows is the engine's choice).
    mutating func rowExpression(allowDouble: Bool, allowDivision: Bool, allowExtreme: Bool = false) -> (sql: DualSQL, exact: Bool) {
        let pool = schema.facts.filter { (allowDouble || $0.kind.isExact) && !$0.extreme }
        let extreme = schema.facts.filter { $0.extreme }
        if allowExtreme && !extreme.isEmpty && random.chance(8) {
            let fact = random.pick(extreme)
            return (DualSQL(random.pick(["\(fact.name) + 1", "\(fact.name) - 1", "\(fact.name) * 2", "-\(fact.name)", fact.name])), true)
        }
        let a = random.pick(pool), b = random.pick(pool), c = random.pick(pool)
        let exact = a.kind.isExact && b.kind.isExact && c.kind.isExact
        switch random.below(allowDivision ? 9 : 8) {
        case 0: return (DualSQL("\(a.name) + \(b.name)"), exact)
        case 1: return (DualSQL("\(a.name) - \(b.name)"), exact)
        case 2: return (DualSQL("\(a.name) - \(b.name) + \(c.name)"), exact)
        case 3: return (DualSQL("\(a.name) * \(random.pick(["2", "3", "-1", "10", "0.5"]))"), a.kind.isExact)
        case 4: return (DualSQL("-\(a.name)"), a.kind.isExact)
        case 5: return (DualSQL("\(a.name) + \(random.pick(["1", "0.25", "-100"]))"), a.kind.isExact)
        case 6: return (DualSQL("(\(a.name) - \(b.name)) * 2"), exact)
        case 7:
            // An integer times money, or integers: exact.
            let integers = pool.filter { ($0.kind == .integer || $0.kind == .flag) && !$0.wide }
            guard let factor = integers.randomElement(using: &random) else { return (DualSQL(a.name), a.kind.isExact) }
            return (DualSQL("\(factor.name) * \(a.name)"), a.kind.isExact)
        default:
            return (DualSQL(cube: "\(a.name) / \(b.name)", duck: "\(a.name) / NULLIF(\(b.name), 0)"), false)
        }
    }

    // MARK: - Conditions

    private mutating func whereClause(emptyChance: Int, alwaysFilter: Bool = false) -> DualSQL {
        var conditions: [DualSQL] = []
        if alwaysFilter || random.chance(70) { conditions.append(predicate(depth: 0)) }
        if random.chance(emptyChance) {
            // A slice that matches nothing.
            let fact = random.pick(schema.facts.filter { $0.kind.isExact && !$0.extreme }).name
            conditions.append(DualSQL(random.pick(["FALSE", "\(random.pick(attributes)) = 'no such member'", "\(fact) > 99999999999999999",
                                                    "\(fact) IS NULL AND \(fact) IS NOT NULL"])))
        }
        guard !conditions.isEmpty else { return DualSQL("") }
        return " WHERE " + DualSQL.joined(conditions.count > 1 ? conditions.map { $0.wrapped("(", ")") } : conditions, separator: " AND ")
    }

    mutating func predicate(depth: Int) -> DualSQL {
        if depth < 3 && random.chance(depth == 0 ? 45 : 25) {
            let count = 2 + (random.chance(25) ? 1 : 0)
            let parts = (0..<count).map { _ in predicate(depth: depth + 1) }
            let combined = DualSQL.joined(parts, separator: random.chance(55) ? " AND " : " OR ").wrapped("(", ")")
            return random.chance(15) ? "NOT " + combined : combined
        }
        let leaf = self.leaf()
        return random.chance(8) ? leaf.wrapped("NOT (", ")") : leaf
    }

    private mutating func leaf() -> DualSQL {
        let comparisons = ["=", "<>", "!=", "<", "<=", ">", ">="]
        switch random.below(16) {
        case 0, 1, 2:
            let attribute = random.pick(attributes)
            let op = random.chance(50) ? "=" : random.pick(comparisons)
            let value = quote(member(of: attribute))
            return DualSQL(random.chance(10) ? "\(value) \(op) \(attribute)" : "\(attribute) \(op) \(value)")
        case 3, 4:
            let attribute = random.pick(attributes)
            var values = (0..<(1 + random.below(4))).map { _ in quote(member(of: attribute)) }
            if random.chance(10) { values.append("NULL") }
            return DualSQL("\(attribute) \(random.chance(70) ? "IN" : "NOT IN") (\(values.joined(separator: ", ")))")
        case 5:
            let attribute = random.pick(attributes)
            var bounds = [member(of: attribute), member(of: attribute)]
            if random.chance(75) { bounds.sort { $0.utf8.lexicographicallyPrecedes($1.utf8) } }
            return DualSQL("\(attribute) \(random.chance(75) ? "BETWEEN" : "NOT BETWEEN") \(quote(bounds[0])) AND \(quote(bounds[1]))")
        case 6, 7:
            let attribute = random.pick(attributes)
            return DualSQL("\(attribute) \(random.chance(75) ? "LIKE" : "NOT LIKE") \(quote(likePattern(for: attribute)))")
        case 8:
            let column = random.chance(60) ? random.pick(attributes) : random.pick(schema.facts).name
            return DualSQL("\(column) \(random.chance(50) ? "IS NULL" : "IS NOT NULL")")
        case 9, 10:
            let fact = random.pick(schema.facts)
            return DualSQL("\(fact.name) \(random.pick(comparisons)) \(random.pick(fact.literals))")
        case 11:
            let fact = random.pick(schema.facts)
            var bounds = [random.pick(fact.literals), random.pick(fact.literals)]
            if random.chance(70) { bounds.sort { (Double($0) ?? 0) < (Double($1) ?? 0) } }
            return DualSQL("\(fact.name) \(random.chance(75) ? "BETWEEN" : "NOT BETWEEN") \(bounds[0]) AND \(bounds[1])")
        case 12:
            let fact = random.pick(schema.facts)
            let values = random.sample(fact.literals, 1 + random.below(3))
            return DualSQL("\(fact.name) \(random.chance(70) ? "IN" : "NOT IN") (\(values.joined(separator: ", ")))")
        case 13, 14:
            let row = rowExpression(allowDouble: true, allowDivision: random.chance(20))
            let op = random.pick(comparisons)
            if random.chance(30) {
                return row.sql + " \(op) \(random.pick(schema.facts.filter { !$0.extreme }).name)"
            }
            return row.sql + " \(op) \(random.pick(random.pick(schema.facts).literals))"
        default:
            switch random.below(4) {
            case 0: return DualSQL(random.pick(["TRUE", "FALSE"]))
            case 1: return DualSQL("\(random.pick(attributes)) = NULL")
            case 2: return DualSQL("\(random.pick(schema.facts).name) > NULL")
            default: return DualSQL("\(random.pick(schema.facts).name) <> \(random.pick(schema.facts).name)")
            }
        }
    }

    /// A member of the attribute, or at times a value it does not hold but resembles.
    private mutating func member(of attribute: String) -> String {
        let members = schema.members[attribute] ?? []
        guard !members.isEmpty, !random.chance(10) else {
            let base = members.isEmpty ? "x" : random.pick(members)
            return random.pick([base.uppercased(), base + " ", " " + base, String(base.dropLast()), "", "zzz", "\u{10FFFF}"])
        }
        return random.pick(members)
    }

    /// A LIKE pattern cut from a member, by characters or by Unicode scalars.
    private mutating func likePattern(for attribute: String) -> String {
        let value = member(of: attribute)
        let pieces = random.chance(50) ? value.map { String($0) } : value.unicodeScalars.map { String($0) }
        guard !pieces.isEmpty else { return random.pick(["%", "_", "%%"]) }
        let cut = random.below(pieces.count + 1)
        switch random.below(7) {
        case 0: return pieces.prefix(cut).joined() + "%"
        case 1: return "%" + pieces.suffix(pieces.count - cut).joined()
        case 2: return "%" + pieces.dropFirst(cut / 2).prefix(max(1, cut)).joined() + "%"
        case 3:
            var replaced = pieces
            replaced[random.below(pieces.count)] = "_"
            return replaced.joined()
        case 4: return String(repeating: "_", count: pieces.count)
        case 5: return random.pick(["%", "_%", "%_", "__%"])
        default: return value
        }
    }

    func quote(_ text: String) -> String { "'" + text.replacingOccurrences(of: "'", with: "''") + "'" }
}

extension SplitMix: RandomNumberGenerator {}
