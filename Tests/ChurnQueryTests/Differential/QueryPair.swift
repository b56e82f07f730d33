/// One generated query in both dialects: ChurnCube's (named measures, levels and hierarchies by
/// name) and DuckDB's (measures expanded to their formulas, divisions by zero made NULL).
struct QueryPair {
    var churnCube: String
    var duckDB: String
    /// The first `keyCount` columns identify a row; unordered results are matched on them.
    var keyCount: Int
    /// Whether the query fixes a total order of its rows, so they are compared in order.
    var ordered: Bool
}

/// A piece of SQL in both dialects.
struct DualSQL {
    var cube: String
    var duck: String

    init(_ both: String) {
        cube = both
        duck = both
    }

    init(cube: String, duck: String) {
        self.cube = cube
        self.duck = duck
    }

    /// The same text around both sides: `wrapped("NOT (", ")")`.
    func wrapped(_ prefix: String, _ suffix: String) -> DualSQL {
        DualSQL(cube: prefix + cube + suffix, duck: prefix + duck + suffix)
    }

    static func joined(_ parts: [DualSQL], separator: String) -> DualSQL {
        DualSQL(cube: parts.map(\.cube).joined(separator: separator), duck: parts.map(\.duck).joined(separator: separator))
    }

    static func + (lhs: DualSQL, rhs: DualSQL) -> DualSQL { DualSQL(cube: lhs.cube + rhs.cube, duck: lhs.duck + rhs.duck) }
    static func + (lhs: DualSQL, rhs: String) -> DualSQL { DualSQL(cube: lhs.cube + rhs, duck: lhs.duck + rhs) }
    static func + (lhs: String, rhs: DualSQL) -> DualSQL { DualSQL(cube: lhs + rhs.cube, duck: lhs + rhs.duck) }
}
