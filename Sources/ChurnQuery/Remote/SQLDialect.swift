import ChurnModel

/// How one SQL engine spells what a remote cube asks of it: which features it has natively and
/// how identifiers, literals and the few functions the compiler needs are written.
package struct SQLDialect: Sendable {
    package var name: String
    /// `GROUP BY GROUPING SETS (...)` with a grouping id telling the sets' rows apart; without it
    /// the compiler sends one query per grouping set.
    package var hasGroupingSets: Bool
    /// The function giving a row's grouping id: bit i set when the i-th grouping column is rolled
    /// up, the first column the highest bit.
    package var groupingIDFunction: String
    /// `max_by(value, key)`: the value at the row with the largest key, for semi-additive measures.
    package var lastValueFunction: String
    /// Division that gives NULL for a zero divisor rather than an error.
    package var safeDivideFunction: String
    /// `COUNT(DISTINCT x)` over a grouping-sets query.
    package var hasDistinctWithGroupingSets: Bool
    private var identifierQuote: Character

    /// The marker of the errors the compiled SQL raises itself (`raise_error`), which the
    /// connection turns back into the engine's own message.
    package static let raisedErrorPrefix = "churncube: "

    package static let spark = SQLDialect(name: "Spark SQL", hasGroupingSets: true, groupingIDFunction: "grouping_id",
                                          lastValueFunction: "max_by", safeDivideFunction: "try_divide",
                                          hasDistinctWithGroupingSets: true, identifierQuote: "`")

    /// A column or table name, quoted so that any name the cube uses is read as written.
    package func identifier(_ name: String) -> String {
        let quote = String(identifierQuote)
        return quote + name.replacingOccurrences(of: quote, with: quote + quote) + quote
    }

    /// A possibly qualified table name (`db.facts`): each part quoted on its own.
    package func tableName(_ name: String) -> String {
        name.split(separator: ".", omittingEmptySubsequences: false).map { identifier(String($0)) }.joined(separator: ".")
    }

    /// A text literal. Backslashes are doubled too: Spark reads escapes inside string literals.
    package func string(_ value: String) -> String {
        "'" + value.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "'", with: "\\'") + "'"
    }

    /// The value of a level computed from its source column, as `DerivedLevel.Function.apply`
    /// computes it: NULL for a source value that is not a month `YYYY-MM`.
    package func level(_ function: DerivedLevel.Function, of source: String) -> String {
        let monthCheck = isMonth(source)
        switch function {
        case .year:
            return "CASE WHEN \(monthCheck) THEN substr(\(source), 1, 4) END"
        case .quarter:
            return "CASE WHEN \(monthCheck) THEN concat(substr(\(source), 1, 4), '-Q', "
                + "CAST((CAST(substr(\(source), 6, 2) AS INT) - 1) DIV 3 + 1 AS STRING)) END"
        }
    }

    /// Whether a text value is a month `YYYY-MM`, as the cube's months are checked.
    package func isMonth(_ source: String) -> String {
        "\(source) RLIKE '^[0-9]{4}-(0[1-9]|1[0-2])$'"
    }
}
