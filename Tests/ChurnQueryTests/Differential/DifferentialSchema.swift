/// What the query generator knows of a cube: its dimensions and their members, levels,
/// hierarchies, fact columns with values worth comparing against, and named measures.
struct DifferentialSchema {
    enum FactKind: Equatable {
        case integer, flag, money, double

        var isExact: Bool { self != .double }
        var duckDBType: String {
            switch self {
            case .integer, .flag: return "BIGINT"
            case .money: return "DECIMAL(18,2)"
            case .double: return "DOUBLE"
            }
        }
    }

    struct Fact {
        var name: String
        var kind: FactKind
        /// Constants for conditions: values the column holds and values just beside them.
        var literals: [String]
        /// Holds values near the ends of the 64-bit range: sums of it may exceed 64 bits, and
        /// arithmetic on it may overflow.
        var extreme = false
        /// Holds values up to 10^15: its product with another wide fact passes 64 bits, where
        /// ChurnCube refuses what DuckDB's DECIMAL(38) computes.
        var wide = false
    }

    struct Measure {
        var name: String
        /// The formula in DuckDB's SQL.
        var duckDB: String
        /// A count or an exact sum: safe to order by and to compare with `=`.
        var exact: Bool
    }

    var table: String
    /// Stored text dimensions, in the order of the CSV.
    var dimensions: [String]
    /// Stored dimensions the generator may group and filter by (the others are too wide).
    var groupable: [String]
    /// Derived levels and the DuckDB expression computing each.
    var levels: [(name: String, duckDB: String)]
    var hierarchies: [(name: String, levels: [String])]
    /// The values of each dimension and level, NULL excluded.
    var members: [String: [String]]
    var facts: [Fact]
    var measures: [Measure]
    /// Columns that identify a row of the facts (with NULLs sorting last), for ordered drill-through.
    var rowKey: [String]
    /// A wide dimension for top-n lists ("the 10 accounts that lost most").
    var wideDimension: String

    /// The type of every CSV column for DuckDB's reader.
    var duckDBTypes: [String: String] {
        var types: [String: String] = [:]
        for dimension in dimensions { types[dimension] = "VARCHAR" }
        for fact in facts { types[fact.name] = fact.kind.duckDBType }
        return types
    }

    /// The stored columns in the order ChurnCube's `SELECT *` returns them.
    var storedColumns: [String] { dimensions + facts.map(\.name) }

    /// The quarter and year of `YYYY-MM` months, as the cube's level functions compute them.
    static func levelMembers(ofMonths months: [String]) -> [String: [String]] {
        var quarters = Set<String>(), years = Set<String>()
        for month in months where month.count == 7 {
            let year = String(month.prefix(4))
            let number = Int(month.suffix(2)) ?? 1
            years.insert(year)
            quarters.insert("\(year)-Q\((number + 2) / 3)")
        }
        return ["quarter": quarters.sorted(), "year": years.sorted()]
    }

    /// DuckDB expressions of the month levels.
    static let monthLevels: [(name: String, duckDB: String)] = [
        ("quarter", "substr(period, 1, 4) || '-Q' || CAST((CAST(substr(period, 6, 2) AS INTEGER) + 2) // 3 AS VARCHAR)"),
        ("year", "substr(period, 1, 4)"),
    ]
}
