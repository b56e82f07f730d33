import Foundation

/// The standard normal distribution, through the complementary error function so that tail
/// probabilities far out (p ≈ 1e-300) keep their precision.
package enum NormalDistribution {
    /// Φ(z) = erfc(−z/√2) / 2.
    package static func cumulative(_ z: Double) -> Double {
        0.5 * erfc(-z / 2.0.squareRoot())
    }

    /// P(|Z| ≥ |z|) = erfc(|z|/√2).
    package static func twoSidedPValue(_ z: Double) -> Double {
        guard z.isFinite else { return z.isNaN ? 1 : 0 }
        return min(1, erfc(abs(z) / 2.0.squareRoot()))
    }
}
