import Foundation

/// Student's t distribution, the reference for a statistic whose variance is estimated from G
/// clusters: a cluster-robust variance has about G − 1 degrees of freedom, so with few accounts
/// in a cell the normal reference reads its z as far stronger evidence than it is (Cameron and
/// Miller, "A Practitioner's Guide to Cluster-Robust Inference", 2015). With many clusters the
/// two agree.
package enum StudentT {
    /// Degrees of freedom beyond which the normal tail is used: there the two differ by under 4%
    /// of the p-value at |t| = 5, far less than the difference between two neighbouring cells,
    /// and the continued fraction needs about √ν terms.
    static let normalBeyond = 5000.0

    /// P(|T| ≥ |t|) for ν degrees of freedom: I_{ν/(ν+t²)}(ν/2, 1/2). 1 for ν ≤ 0 (no variance
    /// estimate, no evidence).
    package static func twoSidedPValue(_ t: Double, degreesOfFreedom nu: Double) -> Double {
        guard !t.isNaN, !nu.isNaN, nu > 0 else { return 1 }
        guard nu <= normalBeyond else { return NormalDistribution.twoSidedPValue(t) }
        guard t.isFinite else { return 0 }
        guard t != 0 else { return 1 }
        return min(1, max(0, regularizedIncompleteBeta(nu / (nu + t * t), a: nu / 2, b: 0.5)))
    }

    /// I_x(a, b), by the continued fraction of the incomplete beta function evaluated with the
    /// modified Lentz method, on the side of the symmetry I_x(a, b) = 1 − I_{1−x}(b, a) where it
    /// converges fast.
    static func regularizedIncompleteBeta(_ x: Double, a: Double, b: Double) -> Double {
        guard x > 0 else { return 0 }
        guard x < 1 else { return 1 }
        let logFront = lgamma(a + b) - lgamma(a) - lgamma(b) + a * log(x) + b * log1p(-x)
        if x < (a + 1) / (a + b + 2) {
            return exp(logFront) * continuedFraction(x, a: a, b: b) / a
        }
        return 1 - exp(logFront) * continuedFraction(1 - x, a: b, b: a) / b
    }

    private static func continuedFraction(_ x: Double, a: Double, b: Double) -> Double {
        let tiny = 1e-300, epsilon = 1e-15
        var c = 1.0
        var d = 1 - (a + b) * x / (a + 1)
        if abs(d) < tiny { d = tiny }
        d = 1 / d
        var result = d
        for m in 1...10_000 {
            let m = Double(m), twoM = 2 * m
            // The even step, then the odd one, of the fraction's terms.
            var term = m * (b - m) * x / ((a + twoM - 1) * (a + twoM))
            d = 1 + term * d
            if abs(d) < tiny { d = tiny }
            c = 1 + term / c
            if abs(c) < tiny { c = tiny }
            d = 1 / d
            result *= d * c
            term = -(a + m) * (a + b + m) * x / ((a + twoM) * (a + twoM + 1))
            d = 1 + term * d
            if abs(d) < tiny { d = tiny }
            c = 1 + term / c
            if abs(c) < tiny { c = tiny }
            d = 1 / d
            let step = d * c
            result *= step
            if abs(step - 1) < epsilon { break }
        }
        return result
    }
}
