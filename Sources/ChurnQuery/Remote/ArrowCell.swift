import ChurnArrow

/// One value of a remote result column, read as the engine types it.
struct ArrowCell {
    let column: ArrowColumn
    let row: Int

    var isNull: Bool { column.isNull(row) }

    var text: String? {
        guard !isNull else { return nil }
        switch column.values {
        case let .strings(values): return values[row]
        case let .integers(values): return String(values[row])
        case let .booleans(values): return values[row] ? "true" : "false"
        default: return nil
        }
    }

    var integer: Int64? {
        guard !isNull else { return nil }
        switch column.values {
        case let .integers(values): return values[row]
        case let .decimals(values, scale) where scale == 0: return Int64(exactly: values[row])
        default: return nil
        }
    }

    var double: Double? {
        guard !isNull else { return nil }
        switch column.values {
        case let .doubles(values): return values[row]
        case let .integers(values): return Double(values[row])
        case let .decimals(values, scale): return Double(values[row]) / pow10(scale)
        default: return nil
        }
    }

    /// Units of 10^-scale, exactly; nil when NULL, not a number, or past 64 bits.
    func units(scale wanted: Int) -> Int64? {
        wideUnits(scale: wanted).flatMap { Int64(exactly: $0) }
    }

    /// Units of 10^-scale in 128 bits; nil when NULL, not a number, or not a whole number of units.
    func wideUnits(scale wanted: Int) -> Int128? {
        guard !isNull else { return nil }
        let unscaled: Int128, scale: Int
        switch column.values {
        case let .integers(values): (unscaled, scale) = (Int128(values[row]), 0)
        case let .decimals(values, valueScale): (unscaled, scale) = (values[row], valueScale)
        default: return nil
        }
        if scale == wanted { return unscaled }
        if scale < wanted {
            guard let factor = power10(wanted - scale) else { return nil }
            let (product, overflow) = unscaled.multipliedReportingOverflow(by: Int128(factor))
            return overflow ? nil : product
        }
        guard let divisor = power10(scale - wanted) else { return nil }
        let (quotient, remainder) = unscaled.quotientAndRemainder(dividingBy: Int128(divisor))
        return remainder == 0 ? quotient : nil
    }

    /// The value an aggregate or expression of exact `scale` (nil: floating point) has;
    /// `pastRange` words the error of an exact value past 64 bits, as the in-memory engine does.
    func value(exact scale: Int?, pastRange: (Int128) -> any Error) throws -> ResultValue {
        if isNull { return .null }
        if let scale {
            guard let wide = wideUnits(scale: scale) else {
                throw QueryError("the remote engine returned \(column.field.name) as \(column.field.type), "
                                 + "which is not a number of scale \(scale)", at: .synthesized)
            }
            guard let units = Int64(exactly: wide) else { throw pastRange(wide) }
            return .exact(units: units, scale: scale)
        }
        guard let double else { throw RemoteResultError.unexpectedType(column) }
        return .double(double)
    }
}

enum RemoteResultError {
    static func unexpectedType(_ column: ArrowColumn) -> QueryError {
        QueryError("the remote engine returned column \(column.field.name) as \(column.field.type), which this statement cannot read",
                   at: .synthesized)
    }
}
