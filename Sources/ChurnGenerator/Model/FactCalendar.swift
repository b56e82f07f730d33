/// Months as integers counted from 2020-01 (month 0), and the 36-month window the facts cover.
///
/// Accounts that signed up before the window (2020-01..2022-12) appear from its first month on.
enum FactCalendar {
    static let firstYear = 2020
    /// 2023-01, the first period written.
    static let windowStart = 36
    /// 2026-01, one past the last period written (2025-12).
    static let windowEnd = 72
    static let periodCount = windowEnd - windowStart

    static func year(_ month: Int) -> Int { firstYear + month / 12 }
    /// 1 to 12.
    static func monthOfYear(_ month: Int) -> Int { month % 12 + 1 }
    /// 1 to 4.
    static func quarter(_ month: Int) -> Int { month % 12 / 3 + 1 }

    static func dayCount(_ month: Int) -> Int {
        switch monthOfYear(month) {
        case 2: year(month) % 4 == 0 ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }
}
