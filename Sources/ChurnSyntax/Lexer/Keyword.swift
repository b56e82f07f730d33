/// The words the language gives meaning to.
///
/// Reserved keywords can never name a column without double quotes; the others are
/// contextual (`DEPTH`, `ROWS`, `MIN`...) and stay usable as names and function names.
package enum Keyword: String, CaseIterable, Hashable, Sendable {
    case select = "SELECT", from = "FROM", `where` = "WHERE", group = "GROUP", by = "BY"
    case having = "HAVING", order = "ORDER", limit = "LIMIT", offset = "OFFSET"
    case and = "AND", or = "OR", not = "NOT", `in` = "IN", between = "BETWEEN", like = "LIKE"
    case `is` = "IS", null = "NULL", `true` = "TRUE", `false` = "FALSE"
    case `case` = "CASE", when = "WHEN", then = "THEN", `else` = "ELSE", end = "END"
    case `as` = "AS", asc = "ASC", desc = "DESC", distinct = "DISTINCT"
    case nulls = "NULLS", first = "FIRST", last = "LAST"
    case rollup = "ROLLUP", cube = "CUBE", grouping = "GROUPING", sets = "SETS"
    case explain = "EXPLAIN", describe = "DESCRIBE", save = "SAVE"
    case hotspots = "HOTSPOTS", drill = "DRILL", pivot = "PIVOT"
    case to = "TO", rows = "ROWS", columns = "COLUMNS"
    case depth = "DEPTH", min = "MIN", support = "SUPPORT", versus = "VERSUS"
    case expected = "EXPECTED", parent = "PARENT", global = "GLOBAL"
    case hot = "HOT", cold = "COLD", both = "BOTH", impact = "IMPACT", lift = "LIFT"
    case cohort = "COHORT", months = "MONTHS", compare = "COMPARE", why = "WHY", changed = "CHANGED", trend = "TREND"
    case pareto = "PARETO", backtest = "BACKTEST", horizon = "HORIZON", health = "HEALTH"
    case alerts = "ALERTS", of = "OF"

    package init?(word: String) {
        self.init(rawValue: word.uppercased())
    }

    package var isReserved: Bool {
        switch self {
        case .select, .from, .where, .group, .by, .having, .order, .limit, .offset,
             .and, .or, .not, .in, .between, .like, .is, .null, .true, .false,
             .case, .when, .then, .else, .end, .as, .asc, .desc, .distinct:
            return true
        default:
            return false
        }
    }

    /// Every keyword spelling, for tab completion.
    package static let all: [String] = allCases.map(\.rawValue)

    /// Words that begin a statement.
    package static let statementStarts: [Keyword] = [.select, .explain, .describe, .save, .hotspots, .drill, .pivot, .cohort, .why, .trend, .pareto, .backtest, .health, .alerts]
}
