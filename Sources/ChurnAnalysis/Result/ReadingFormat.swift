import ChurnQuery
import Foundation

/// Number formatting for readings, independent of the locale: thousands separated by commas.
enum ReadingFormat {
    /// 25439 -> "25,439".
    static func count(_ value: Double) -> String {
        Thousands.grouped(digits: String(Int64(value.rounded())))
    }

    /// A fixed number of decimals with grouped thousands: 1234.5 -> "1,234.50".
    static func decimal(_ value: Double, digits: Int) -> String {
        let text = String(format: "%.\(digits)f", abs(value))
        let parts = text.split(separator: ".", maxSplits: 1)
        let whole = Thousands.grouped(digits: String(parts[0]))
        let sign = value < 0 && text.contains(where: { $0 != "0" && $0 != "." }) ? "-" : ""
        return sign + whole + (parts.count > 1 ? "." + parts[1] : "")
    }

    static func value(_ value: Double, format: HotspotMeasure.Format) -> String {
        switch format {
        case .percent: decimal(value * 100, digits: 2) + "%"
        case .money: (value < 0 ? "-$" : "$") + decimal(abs(value), digits: 2)
        case .number: abs(value) >= 1000 ? decimal(value, digits: 0) : String(format: "%.4g", value)
        }
    }

    /// "+56%", "-12%", "+0.4%".
    static func lift(_ lift: Double?) -> String {
        guard let lift else { return "n/a" }
        let percent = lift * 100
        let digits = abs(percent) < 1 ? 1 : 0
        let text = decimal(percent, digits: digits)
        return (percent >= 0 && !text.hasPrefix("-") ? "+" : "") + text + "%"
    }

    /// An impact to hundredths, signed: "+459.01", "-68,201.82".
    static func impact(_ impact: Double) -> String {
        let text = decimal(impact, digits: 2)
        return text.hasPrefix("-") ? text : "+" + text
    }

    /// "q < 0.001", "q = 0.012".
    static func qValue(_ q: Double) -> String {
        q < 0.001 ? "q < 0.001" : "q = " + String(format: "%.3f", q)
    }
}
