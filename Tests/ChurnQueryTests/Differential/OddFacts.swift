import ChurnGenerator

/// A seeded data set made to trip an engine up, with its cube definition: NULL members in every
/// dimension, members with quotes, commas, newlines, `%` and `_`, accents (precomposed and
/// decomposed), CJK, emoji and flags, leading and trailing spaces, case variants; NULL facts,
/// zero and negative money, amounts near the top of DECIMAL(18,2), integers near the ends of
/// 64 bits, money written with 0, 1 or 2 decimals, and months that are NULL.
///
/// Rows are one per account and month, so (account_id, period) identifies a row.
struct OddFacts {
    /// Values per column, by `header`; nil is an empty field (NULL).
    var rows: [[String?]]

    static let header = ["account_id", "period", "region", "country", "channel", "segment", "plan",
                         "mrr_start", "mrr_end", "churned_mrr", "churned", "renewed", "logins", "nps", "seats", "balance", "usage"]
    static let dimensions = Array(header.prefix(7))

    static let regions: [String?] = ["amer", "emea", "apac", "Zürich", "Zu\u{308}rich", "東京", "São Paulo", "🚀 launch", "🇩🇪",
                                     "say \"hi\"", "a,b", "O'Brien", " padded ", "trailing ", nil, nil]
    static let countries: [String?] = ["US", "CA", "DE", "FR", "JP", "BR", "CH", "100%", "under_score", "x_y%z", "multi\nline", "ü", nil]
    static let channels: [String?] = ["online", "Online", "online ", "partner", "reseller", "direct", "", nil]
    static let segments: [String?] = ["smb", "mid", "ent", "Ent", "e\u{301}lite", "élite", nil]
    static let plans: [String?] = ["basic", "pro", "001", "10", "9", "pro-plus", "\u{1F468}\u{200D}\u{1F469}\u{200D}\u{1F467}", nil]

    static let months: [String] = (2024...2025).flatMap { year in (1...12).map { "\(year)-\($0 < 10 ? "0" : "")\($0)" } }

    /// The cube definition, with `sort` as its sort key (`[account_id, period]`, `none`, `automatic`...).
    static func definition(sort: String) -> String {
        """
        cube: odd
        dimensions:
          account_id: {}
          period: { type: month }
          region: {}
          country: {}
          channel: {}
          segment: {}
          plan: {}
        levels:
          quarter: { from: period, function: quarter }
          year: { from: period, function: year }
        hierarchies:
          geography: [region, country]
          time: [year, quarter, period]
        sort: \(sort)
        facts:
          mrr_start: money
          mrr_end: money
          churned_mrr: money
          churned: flag
          renewed: flag
          logins: integer
          nps: integer
          seats: integer
          balance: integer
          usage: double
        measures:
          customers: { formula: COUNT(*), format: count, additivity: additive }
          accounts: { formula: COUNT(DISTINCT account_id), format: count, additivity: non-additive }
          logo_churn_rate: { formula: SUM(churned) / COUNT(*), format: percent, additivity: non-additive }
          revenue_churn_rate: { formula: SUM(churned_mrr) / SUM(mrr_start), format: percent, additivity: non-additive }
          net_change: { formula: SUM(mrr_end - mrr_start), format: money, additivity: additive }
          avg_nps: { formula: AVG(nps), format: number, additivity: non-additive }
          usage_per_seat: { formula: SUM(usage) / SUM(seats), format: number, additivity: non-additive }

        """
    }

    init(seed: UInt64, accounts: Int) {
        var random = SplitMix(state: seed)
        func sometimes<T>(_ percent: Int, _ value: T?, else other: () -> T?) -> T? { random.chance(percent) ? value : other() }
        var rows: [[String?]] = []
        for account in 0..<accounts {
            var id = "A\(1000 + account)"
            if account % 97 == 5 { id = random.pick(["A\"\(account)", "A,\(account)", "Ä\(account)", " A\(account)"]) }
            var region = random.pick(Self.regions), country = random.pick(Self.countries)
            var channel = random.pick(Self.channels), segment = random.pick(Self.segments), plan = random.pick(Self.plans)
            let first = random.below(Self.months.count)
            let count = 1 + random.below(min(12, Self.months.count - first))
            var periods: [String?] = Array(Self.months[first..<(first + count)])
            if random.chance(3) { periods.append(nil) }
            var mrr = Int64(random.below(500_000))
            for period in periods {
                // Attributes change now and then within an account.
                if random.chance(8) { region = random.pick(Self.regions) }
                if random.chance(8) { country = random.pick(Self.countries) }
                if random.chance(8) { channel = random.pick(Self.channels) }
                if random.chance(5) { segment = random.pick(Self.segments) }
                if random.chance(5) { plan = random.pick(Self.plans) }
                var start = mrr
                switch random.below(100) {
                case 0..<8: start = 0
                case 8..<12: start = -random.within(1...50_000)
                case 12..<13: start = random.within(10_000_000_000_000...99_999_999_999_999)
                default: break
                }
                let churned = random.chance(6)
                let end = churned ? 0 : start + random.within(-20_000...30_000) * (random.chance(40) ? 0 : 1)
                mrr = max(0, end)
                let logins: Int64 = random.chance(1) ? random.within(100_000_000_000_000...999_999_999_999_999) * (random.chance(50) ? -1 : 1)
                    : random.within(0...400)
                let balance: Int64
                switch random.below(1000) {
                case 0..<3: balance = Int64.max - random.within(0...1000)
                case 3..<5: balance = Int64.min + random.within(0...1000)
                case 5: balance = Int64.min
                default: balance = random.within(-1000...1000)
                }
                rows.append([
                    id, period, region, country, channel, segment, plan,
                    sometimes(2, nil) { Self.money(start, &random) },
                    sometimes(2, nil) { Self.money(end, &random) },
                    sometimes(3, nil) { Self.money(churned ? start : 0, &random) },
                    sometimes(2, nil) { churned ? "1" : "0" },
                    sometimes(3, nil) { random.chance(20) ? "1" : "0" },
                    sometimes(10, nil) { String(logins) },
                    sometimes(40, nil) { String(random.below(11)) },
                    sometimes(1, nil) { String(1 + random.below(50)) },
                    sometimes(5, nil) { String(balance) },
                    sometimes(5, nil) { Self.thousandths(random.within(1...1_000_000)) },
                ])
            }
        }
        self.rows = rows
    }

    /// Cents as text with two, one or no decimals, as exports write them.
    private static func money(_ cents: Int64, _ random: inout SplitMix) -> String {
        let sign = cents < 0 ? "-" : ""
        let magnitude = cents.magnitude
        let whole = magnitude / 100, fraction = magnitude % 100
        switch random.below(10) {
        case 0 where fraction == 0: return "\(sign)\(whole)"
        case 1 where fraction % 10 == 0: return "\(sign)\(whole).\(fraction / 10)"
        default: return "\(sign)\(whole).\(fraction < 10 ? "0" : "")\(fraction)"
        }
    }

    private static func thousandths(_ value: Int64) -> String {
        let fraction = String(value % 1000)
        return "\(value / 1000).\(String(repeating: "0", count: 3 - fraction.count))\(fraction)"
    }

    /// The CSV (RFC 4180, LF line ends) in account order or month order; fields with a quote,
    /// comma or line break are quoted, and some others too.
    func csv(order: RowOrder, seed: UInt64) -> String {
        var random = SplitMix(state: seed)
        let period = Self.header.firstIndex(of: "period")!
        let ordered: [[String?]]
        switch order {
        case .account: ordered = rows
        case .period:
            // Stable: accounts keep their order within a month; NULL months come last.
            ordered = rows.enumerated().sorted { lhs, rhs in
                let (a, b) = (lhs.element[period] ?? "9999", rhs.element[period] ?? "9999")
                return a != b ? a < b : lhs.offset < rhs.offset
            }.map(\.element)
        }
        var text = Self.header.joined(separator: ",") + "\n"
        for row in ordered {
            text += row.map { field -> String in
                guard let field else { return random.chance(10) ? "\"\"" : "" }
                let needsQuotes = field.contains { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" } || field.isEmpty
                guard needsQuotes || random.chance(10) else { return field }
                return "\"" + field.replacingOccurrences(of: "\"", with: "\"\"") + "\""
            }.joined(separator: ",") + "\n"
        }
        return text
    }

    /// The distinct values of a column, NULL excluded.
    func values(of column: String) -> [String] {
        let index = Self.header.firstIndex(of: column)!
        var seen = Set<[UInt8]>()
        var values: [String] = []
        for row in rows { if let value = row[index], seen.insert(Array(value.utf8)).inserted { values.append(value) } }
        return values
    }
}
