import ChurnQuery

/// Result values as text: formatted for people (tables) or raw for programs (csv, json).
enum ValueText {
    static let nullText = "NULL"
    static let subtotalText = "(all)"

    // MARK: - For people

    /// `value` in its column's format: 1.71%, 1,234,567.89, 12,345.
    static func display(_ value: ResultValue, format: ResultColumn.Format) -> String {
        switch value {
        case .null: return nullText
        case .subtotal: return subtotalText
        case let .text(text): return text
        case let .boolean(flag): return flag ? "true" : "false"
        case let .integer(number):
            switch format {
            case .percent: return percent(Double(number))
            case .points: return points(Double(number))
            case .significance: return significance(Double(number))
            case .money: return decimal(units: number, scale: 0, places: 2, grouped: true)
            case .count, .number: return NumberText.grouped(Int(number))
            case .integer, .text: return String(number)
            }
        case let .decimal(units, scale):
            switch format {
            case .percent: return percent(Double(units) / pow10(scale))
            case .points: return points(Double(units) / pow10(scale))
            case .significance: return significance(Double(units) / pow10(scale))
            case .money: return decimal(units: units, scale: scale, places: 2, grouped: true)
            case .count: return decimal(units: units, scale: scale, places: 0, grouped: true)
            default: return decimal(units: units, scale: scale, places: scale, grouped: format == .number)
            }
        case let .double(number):
            guard number.isFinite else { return number.isNaN ? "NaN" : (number < 0 ? "-inf" : "inf") }
            switch format {
            case .percent: return percent(number)
            case .points: return points(number)
            case .significance: return significance(number)
            case .money: return fixed(number, places: 2, grouped: true)
            case .count: return fixed(number, places: 0, grouped: true)
            case .integer, .text: return raw(value)
            case .number:
                let magnitude = abs(number)
                if number == number.rounded() && magnitude < 1e15 { return fixed(number, places: 0, grouped: true) }
                return fixed(number, places: magnitude >= 100 ? 2 : magnitude >= 1 ? 3 : 4, grouped: true)
            }
        }
    }

    /// A ratio as a percentage with two decimals: 0.0171 -> 1.71%.
    static func percent(_ ratio: Double) -> String {
        guard ratio.isFinite else { return ratio.isNaN ? "NaN" : "inf" }
        return fixed(ratio * 100, places: 2, grouped: true) + "%"
    }

    /// A difference of ratios in percentage points, signed: 0.0122 -> +1.22 points.
    static func points(_ difference: Double) -> String {
        guard difference.isFinite else { return difference.isNaN ? "NaN" : "inf" }
        let text = fixed(difference * 100, places: 2, grouped: true)
        let sign = text.hasPrefix("-") || text == "0.00" ? "" : "+"
        return sign + text + " points"
    }

    /// A p- or q-value as people read it: `< 0.001`, `0.012`.
    static func significance(_ value: Double) -> String {
        value < 0.001 ? "< 0.001" : fixed(value, places: 3, grouped: false)
    }

    /// `number` rounded to `places` decimals, with thousands separators when `grouped`.
    static func fixed(_ number: Double, places: Int, grouped: Bool) -> String {
        let scale = pow10(places)
        let scaled = (abs(number) * scale).rounded()
        guard scaled < 9e18 else { return String(number) }
        let units = Int64(scaled) * (number < 0 && scaled > 0 ? -1 : 1)
        return decimal(units: units, scale: places, places: places, grouped: grouped)
    }

    /// A fixed-point number `units` x 10^-scale shown with `places` decimals, rounding half away from zero.
    static func decimal(units: Int64, scale: Int, places: Int, grouped: Bool) -> String {
        var magnitude = units.magnitude
        var currentScale = scale
        while currentScale > places {
            let remainder = magnitude % 10
            magnitude = magnitude / 10 + (remainder >= 5 ? 1 : 0)
            currentScale -= 1
        }
        var digits = String(magnitude)
        while currentScale < places {
            digits += "0"
            currentScale += 1
        }
        if digits.count <= places { digits = String(repeating: "0", count: places - digits.count + 1) + digits }
        let integerPart = String(digits.dropLast(places))
        let fraction = String(digits.suffix(places))
        let integerText = grouped ? NumberText.grouped(Int(integerPart) ?? 0) : integerPart
        let sign = units < 0 && magnitude > 0 ? "-" : ""
        return sign + integerText + (places > 0 ? "." + fraction : "")
    }

    // MARK: - For programs

    /// The value as a program reads it: ratios as ratios, money as a plain decimal, no separators.
    /// NULL is empty, and so is a rolled-up grouping cell, as SQL has it: `GROUPING(col)` tells
    /// a subtotal from a NULL member.
    static func raw(_ value: ResultValue) -> String {
        switch value {
        case .null, .subtotal: return ""
        case let .text(text): return text
        case let .boolean(flag): return flag ? "true" : "false"
        case let .integer(number): return String(number)
        case let .decimal(units, scale): return decimal(units: units, scale: scale, places: scale, grouped: false)
        case let .double(number):
            guard number.isFinite else { return number.isNaN ? "NaN" : (number < 0 ? "-inf" : "inf") }
            if number == number.rounded() && abs(number) < 1e15 { return String(Int64(number)) }
            return String(number)
        }
    }

    /// Whether a column's values line up on the right (numbers) or the left (text).
    static func isNumeric(_ column: ResultColumn, values: [ResultValue]) -> Bool {
        if column.format != .text { return true }
        return values.contains { $0.doubleValue != nil } && values.allSatisfy { $0.doubleValue != nil || $0.isNull }
    }
}
