import Foundation

/// Why a field is not the number its column needs.
enum NumberProblem: Error, Equatable {
    case notANumber
    case overflow
    case tooManyDecimals(allowed: Int)
}

/// Parses numbers straight from CSV bytes, without building strings.
enum NumberParser {
    /// A decimal integer with optional sign.
    @inline(__always)
    static func parseInteger(_ bytes: UnsafeRawBufferPointer) throws(NumberProblem) -> Int64 {
        try parseScaled(bytes, scale: 0)
    }

    /// A decimal number as an integer count of 10^-scale units (money in cents with scale 2).
    /// Exact: no binary floating point in between.
    static func parseScaled(_ bytes: UnsafeRawBufferPointer, scale: Int) throws(NumberProblem) -> Int64 {
        var index = 0
        let count = bytes.count
        guard count > 0 else { throw .notANumber }
        var negative = false
        let first = bytes[0]
        if first == UInt8(ascii: "-") || first == UInt8(ascii: "+") {
            negative = first == UInt8(ascii: "-")
            index = 1
        }
        // Accumulate as a negative number so Int64.min parses without overflow.
        var value: Int64 = 0
        var digits = 0
        // Up to 18 digits cannot overflow, so the common short field skips the checks.
        let mayOverflow = count > 18
        while index < count {
            let digit = bytes[index] &- 48
            guard digit < 10 else { break }
            if mayOverflow {
                let (times, overflowTimes) = value.multipliedReportingOverflow(by: 10)
                let (next, overflowMinus) = times.subtractingReportingOverflow(Int64(digit))
                if overflowTimes || overflowMinus { throw .overflow }
                value = next
            } else {
                value = value &* 10 &- Int64(digit)
            }
            digits += 1
            index += 1
        }
        var fractionDigits = 0
        if index < count && bytes[index] == UInt8(ascii: ".") {
            index += 1
            while index < count {
                let digit = bytes[index] &- 48
                guard digit < 10 else { break }
                fractionDigits += 1
                if fractionDigits > scale {
                    // Trailing zeros beyond the scale carry no value ("12.500" is fine for cents).
                    guard digit == 0 else { throw .tooManyDecimals(allowed: scale) }
                } else if mayOverflow {
                    let (times, overflowTimes) = value.multipliedReportingOverflow(by: 10)
                    let (next, overflowMinus) = times.subtractingReportingOverflow(Int64(digit))
                    if overflowTimes || overflowMinus { throw .overflow }
                    value = next
                } else {
                    value = value &* 10 &- Int64(digit)
                }
                digits += 1
                index += 1
            }
        }
        guard digits > 0, index == count else { throw .notANumber }
        for _ in min(fractionDigits, scale)..<scale {
            let (times, overflow) = value.multipliedReportingOverflow(by: 10)
            if overflow { throw .overflow }
            value = times
        }
        if negative { return value }
        guard value != Int64.min else { throw .overflow }
        return -value
    }

    private static let exactPowersOfTen: [Double] = (0...22).map { pow(10.0, Double($0)) }

    /// A floating-point number. Short decimals take an exact fast path (an integer below 2^53
    /// divided by an exact power of ten rounds correctly); anything else goes to strtod.
    static func parseDouble(_ bytes: UnsafeRawBufferPointer) throws(NumberProblem) -> Double {
        let count = bytes.count
        guard count > 0 else { throw .notANumber }
        var index = 0
        var negative = false
        if bytes[0] == UInt8(ascii: "-") || bytes[0] == UInt8(ascii: "+") {
            negative = bytes[0] == UInt8(ascii: "-")
            index = 1
        }
        var mantissa: UInt64 = 0
        var digits = 0, fractionDigits = 0
        var simple = true
        var seenPoint = false
        while index < count {
            let byte = bytes[index]
            if byte &- 48 < 10 {
                if digits < 18 { mantissa = mantissa * 10 + UInt64(byte &- 48) } else { simple = false }
                digits += 1
                if seenPoint { fractionDigits += 1 }
            } else if byte == UInt8(ascii: ".") && !seenPoint {
                seenPoint = true
            } else {
                simple = false
                break
            }
            index += 1
        }
        if simple && digits > 0 && mantissa < (1 << 53) && fractionDigits <= 22 {
            let magnitude = Double(mantissa) / exactPowersOfTen[fractionDigits]
            return negative ? -magnitude : magnitude
        }
        return try parseWithStrtod(bytes)
    }

    private static func parseWithStrtod(_ bytes: UnsafeRawBufferPointer) throws(NumberProblem) -> Double {
        // strtod also reads hex, "inf" and "nan"; a measure column takes plain decimal notation only.
        let allowed = Set("0123456789+-.eE".utf8)
        guard bytes.allSatisfy({ allowed.contains($0) }) else { throw .notANumber }
        var buffer = [CChar](repeating: 0, count: bytes.count + 1)
        for (index, byte) in bytes.enumerated() { buffer[index] = CChar(bitPattern: byte) }
        var end: UnsafeMutablePointer<CChar>? = nil
        let value = buffer.withUnsafeMutableBufferPointer { pointer in
            strtod(pointer.baseAddress!, &end) 
        }
        let consumed = buffer.withUnsafeBufferPointer { pointer in end.map { UnsafePointer($0) - pointer.baseAddress! } ?? 0 }
        guard consumed == bytes.count else { throw .notANumber }
        guard value.isFinite else {
            // strtod accepts "inf" and "nan"; measures must be finite numbers.
            throw value.isNaN ? .notANumber : .overflow
        }
        return value
    }
}
