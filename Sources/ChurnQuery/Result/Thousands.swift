/// Digits grouped by thousands with commas, independent of the locale: 1234567 -> "1,234,567".
/// Shared by every place that shows counts to people (EXPLAIN, result tables, hot-spot readings).
package enum Thousands {
    package static func grouped(_ value: Int) -> String {
        grouped(digits: String(value))
    }

    /// Groups a run of decimal digits, with an optional leading minus sign.
    package static func grouped(digits text: String) -> String {
        let negative = text.hasPrefix("-")
        let digits = negative ? text.dropFirst() : Substring(text)
        var result = ""
        for (index, digit) in digits.enumerated() {
            if index > 0 && (digits.count - index) % 3 == 0 { result.append(",") }
            result.append(digit)
        }
        return negative ? "-" + result : result
    }
}
