import ChurnModel
import ChurnSyntax
import Foundation

/// What a number in a query is, for the error of comparing it with text (`mrr_start = 'abc'`,
/// `logo_churn_rate > '1.7%'`): its kind in words and a literal that compares with it.
enum NumericKind {
    case ratio, money, count, wholeNumber, flag, number

    init(_ format: MeasureDefinition.Format) {
        switch format {
        case .percent: self = .ratio
        case .money: self = .money
        case .count: self = .count
        case .number: self = .number
        }
    }

    init(_ kind: FactColumn.Kind) {
        switch kind {
        case .integer: self = .wholeNumber
        case .flag: self = .flag
        case .money: self = .money
        case .double: self = .number
        }
    }

    /// The kind of a computed result column; nil for text.
    init?(_ format: ResultColumn.Format) {
        switch format {
        case .text: return nil
        case .integer: self = .wholeNumber
        case .count: self = .count
        case .percent: self = .ratio
        case .money: self = .money
        case .number, .points, .significance: self = .number
        }
    }

    private var phrase: String {
        switch self {
        case .ratio: return "a ratio"
        case .money: return "money"
        case .count: return "a count"
        case .wholeNumber: return "a whole number"
        case .flag: return "a flag"
        case .number: return "a number"
        }
    }

    private var defaultExample: String {
        switch self {
        case .ratio: return "0.017"
        case .money: return "100.50"
        case .count: return "100"
        case .wholeNumber: return "10"
        case .flag: return "1"
        case .number: return "1.5"
        }
    }

    /// `name is money; compare it with a number such as 100.50`. The example is the text itself
    /// when it reads as a number (`'1.7%'` suggests 0.017), so the fix is to drop the quotes.
    func comparedWithText(_ name: String, text: String, at range: SourceRange) -> QueryError {
        let way = self == .flag ? "compare it with 0 or 1" : "compare it with a number such as \(example(from: text))"
        return QueryError("\(name) is \(phrase); \(way)", at: range)
    }

    private func example(from text: String) -> String {
        let written = text.trimmingCharacters(in: .whitespaces)
        if written.hasSuffix("%"), let percent = Decimal(string: String(written.dropLast()), locale: Locale(identifier: "en_US_POSIX")),
           written.dropLast().allSatisfy({ $0.isNumber || $0 == "." || $0 == "-" }) {
            return "\(percent / 100)"
        }
        if !written.isEmpty, written.allSatisfy({ $0.isNumber || $0 == "." || $0 == "-" }), Double(written) != nil {
            return written
        }
        return defaultExample
    }
}
