/// A numeric score as a histogram key and back as text. Exact units (integers, money) are their
/// own keys; a double becomes an integer of the same order (negative doubles' bits flipped, -0 as
/// 0), so sorting the keys sorts the scores whatever their type.
struct ScoreKey {
    /// The units' scale of an exact score; nil for a double.
    let scale: Int?

    init(_ expression: RowExpression) {
        if case let .exact(scale) = expression.valueType { self.scale = scale } else { scale = nil }
    }

    var isExact: Bool { scale != nil }

    @inline(__always)
    static func key(ofDouble value: Double) -> Int64 {
        let bits = Int64(bitPattern: (value == 0 ? 0 : value).bitPattern)
        return bits < 0 ? bits ^ Int64.max : bits
    }

    static func double(ofKey key: Int64) -> Double {
        Double(bitPattern: UInt64(bitPattern: key < 0 ? key ^ Int64.max : key))
    }

    /// Plain text: integers without decimals, money with its two, doubles to 6 significant digits.
    func text(_ key: Int64) -> String {
        guard let scale else { return String(format: "%.6g", Self.double(ofKey: key)) }
        guard scale > 0 else { return String(key) }
        let digits = String(key.magnitude)
        let padded = String(repeating: "0", count: max(0, scale + 1 - digits.count)) + digits
        let point = padded.index(padded.endIndex, offsetBy: -scale)
        return (key < 0 ? "-" : "") + padded[..<point] + "." + padded[point...]
    }
}

import Foundation
