import ChurnQuery

/// A value from either engine, reduced to what both can say: text, an exact number (integers
/// and decimals, as canonical digits), a floating-point number, or NULL.
enum OracleValue: CustomStringConvertible {
    case null
    case text(String)
    case exact(String)
    case number(Double)
    case nonFinite(String)

    /// A value of the oracle's JSON.
    init(oracle any: Any) {
        if let text = any as? String { self = .text(text) }
        else if let object = any as? [String: Any], let digits = object["exact"] as? String { self = .exact(Self.canonical(digits)) }
        else if let object = any as? [String: Any], let text = object["nonfinite"] as? String { self = .nonFinite(text) }
        else if let number = any as? Double { self = .number(number) }
        else { self = .null }
    }

    init(_ value: ResultValue) {
        switch value {
        case .null, .subtotal: self = .null
        case let .text(text): self = .text(text)
        case let .boolean(flag): self = .exact(flag ? "1" : "0")
        case let .integer(number): self = .exact(String(number))
        case let .decimal(units, scale):
            let digits = String(units.magnitude)
            let padded = String(repeating: "0", count: max(0, scale + 1 - digits.count)) + digits
            let point = padded.index(padded.endIndex, offsetBy: -scale)
            self = .exact(Self.canonical((units < 0 ? "-" : "") + padded[..<point] + "." + padded[point...]))
        case let .double(number): self = number.isFinite ? .number(number) : .nonFinite("\(number)")
        }
    }

    /// Digits without leading zeros, a fraction without trailing zeros, no sign on zero.
    static func canonical(_ digits: String) -> String {
        var text = Substring(digits)
        let negative = text.hasPrefix("-")
        if negative || text.hasPrefix("+") { text = text.dropFirst() }
        var whole = text.prefix { $0 != "." }
        var fraction = text.dropFirst(whole.count + 1)
        while fraction.hasSuffix("0") { fraction = fraction.dropLast() }
        while whole.count > 1 && whole.hasPrefix("0") { whole = whole.dropFirst() }
        if whole.isEmpty { whole = "0" }
        let body = fraction.isEmpty ? String(whole) : "\(whole).\(fraction)"
        return negative && body != "0" ? "-" + body : body
    }

    var description: String {
        switch self {
        case .null: return "NULL"
        case let .text(text): return "'\(text)'"
        case let .exact(digits): return digits
        case let .number(number): return "\(number)"
        case let .nonFinite(text): return text
        }
    }

    /// Exact values match exactly; a floating-point value matches within 1e-9 relative.
    func matches(_ other: OracleValue) -> Bool {
        switch (self, other) {
        case (.null, .null): return true
        case let (.text(a), .text(b)): return a.utf8.elementsEqual(b.utf8)
        case let (.exact(a), .exact(b)): return a == b
        case let (.nonFinite(a), .nonFinite(b)): return a == b
        default:
            guard let a = approximate, let b = other.approximate else { return false }
            return abs(a - b) <= 1e-9 * max(abs(a), abs(b)) + 1e-12
        }
    }

    private var approximate: Double? {
        switch self {
        case let .exact(digits): return Double(digits)
        case let .number(number): return number
        default: return nil
        }
    }

    /// An exact integer beyond the 64-bit range.
    var isBeyondSixtyFourBits: Bool {
        guard case let .exact(digits) = self, !digits.contains(".") else { return false }
        return Int64(digits) == nil
    }
}
