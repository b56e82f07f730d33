/// `log` and `exp` from additions, multiplications and divisions only.
///
/// The platform's libm may round the last bit differently from one system to the next; IEEE basic
/// arithmetic may not. The generator promises byte-identical output everywhere, so the few
/// transcendental functions it needs (Pareto and Poisson draws) are computed here.
enum DeterministicMath {
    private static let ln2 = 0.693_147_180_559_945_3
    // ln 2 split so that k * ln2High is exact for the k used here (Cody and Waite).
    private static let ln2High = 6.931_471_803_691_238_164_90e-01
    private static let ln2Low = 1.908_214_929_270_587_700_02e-10
    private static let sqrt2 = 1.414_213_562_373_095_1

    /// The natural logarithm of a positive normal number.
    static func log(_ x: Double) -> Double {
        precondition(x.isNormal && x > 0, "log of a non-positive or subnormal number")
        let bits = x.bitPattern
        var exponent = Int((bits >> 52) & 0x7FF) - 1023
        var mantissa = Double(bitPattern: (bits & 0x000F_FFFF_FFFF_FFFF) | 0x3FF0_0000_0000_0000)
        if mantissa > sqrt2 {
            mantissa *= 0.5
            exponent += 1
        }
        // ln(m) = 2 atanh(s) with s = (m - 1) / (m + 1), |s| <= 0.172: 12 odd terms reach 1e-19.
        let s = (mantissa - 1) / (mantissa + 1)
        let s2 = s * s
        var power = s
        var sum = 0.0
        var denominator = 1.0
        for _ in 0..<12 {
            sum += power / denominator
            power *= s2
            denominator += 2
        }
        return 2 * sum + Double(exponent) * ln2
    }

    /// e raised to `y`, for |y| below about 700.
    static func exp(_ y: Double) -> Double {
        precondition(y.isFinite && abs(y) < 700, "exp argument out of range")
        let k = (y / ln2).rounded()
        let r = (y - k * ln2High) - k * ln2Low
        // Taylor series on |r| <= 0.35: 16 terms reach 1e-19.
        var term = 1.0
        var sum = 1.0
        var n = 1.0
        for _ in 0..<16 {
            term = term * r / n
            sum += term
            n += 1
        }
        return Double(sign: .plus, exponent: Int(k), significand: sum)
    }
}
