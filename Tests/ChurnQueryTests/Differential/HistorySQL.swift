/// The history calls of a condition written as SQL for DuckDB: a CTE `hx` holding every row of
/// the table with one column per call, named as ChurnCube names the call's column, and the
/// condition with each call replaced by that column.
///
/// `previous(c, n)`: the account's value n months before, NULL unless it has exactly one row
/// then; `avg_previous(c, n)`: the mean of its non-NULL values in the n months before. Rows
/// without an account or a month have no history.
struct HistorySQL {
    let calls: [(function: String, column: String, months: Int)]

    /// `previous(logins, 1)` and the like, found in `condition`.
    init(condition: String) {
        var found: [(String, String, Int)] = []
        for function in ["avg_previous", "previous"] {
            var rest = Substring(condition)
            while let start = rest.range(of: function + "(") {
                let before = rest[..<start.lowerBound].last
                rest = rest[start.upperBound...]
                guard before.map({ !$0.isLetter && $0 != "_" }) ?? true, let close = rest.firstIndex(of: ")") else { continue }
                let parts = rest[..<close].split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
                if parts.count == 2, let months = Int(parts[1]), !found.contains(where: { $0 == (function, parts[0], months) }) {
                    found.append((function, parts[0], months))
                }
            }
        }
        calls = found
    }

    static func name(_ call: (function: String, column: String, months: Int)) -> String { "\(call.function)(\(call.column), \(call.months))" }

    /// `condition` reading the CTE's columns.
    func rewrite(_ condition: String) -> String {
        var text = condition
        for call in calls {
            // avg_previous first, so that its tail is not taken for a previous() call.
            text = text.replacingOccurrences(of: Self.name(call), with: "\"\(Self.name(call))\"")
        }
        return text
    }

    /// `WITH ... hx AS (...)` over `table` and the name to read from: the table itself when there
    /// are no calls.
    func with(_ table: String) -> (prefix: String, source: String) {
        guard let ctes = ctes(table) else { return ("", table) }
        return ("WITH " + ctes + "\n", "hx")
    }

    /// The CTEs `hb`, `hk` and `hx` over `table`, comma-separated; nil when there are no calls.
    func ctes(_ table: String) -> String? {
        guard !calls.isEmpty else { return nil }
        let month = "CAST(substr(period, 1, 4) AS INTEGER) * 12 + CAST(substr(period, 6, 2) AS INTEGER)"
        let columns = Set(calls.map(\.column)).sorted()
        let values = columns.map { "any_value(\($0)) AS \"v_\($0)\"" }.joined(separator: ", ")
        let history = calls.map { call -> String in
            if call.function == "previous" {
                return "(SELECT CASE WHEN k.n = 1 THEN k.\"v_\(call.column)\" END FROM hk k WHERE k.account_id = hb.account_id AND k.hm = hb.hm - \(call.months)) AS \"\(Self.name(call))\""
            }
            return "(SELECT avg(g.\(call.column)) FROM hb g WHERE g.account_id = hb.account_id AND g.hm BETWEEN hb.hm - \(call.months) AND hb.hm - 1) AS \"\(Self.name(call))\""
        }.joined(separator: ",\n       ")
        return """
        hb AS (SELECT *, CASE WHEN account_id IS NOT NULL AND period IS NOT NULL THEN \(month) END AS hm FROM \(table)),
        hk AS (SELECT account_id, hm, count(*) AS n, \(values) FROM hb WHERE hm IS NOT NULL GROUP BY account_id, hm),
        hx AS (SELECT hb.*, \(history) FROM hb)
        """
    }
}
