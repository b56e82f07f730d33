/// The xoshiro256** pseudo-random generator: fast, 256 bits of state, identical output on every platform.
///
/// Each account owns one, seeded from the run seed and the account's number through `SplitMix64`,
/// so an account's rows do not depend on the order in which accounts are simulated.
struct Xoshiro256StarStar {
    private var s0: UInt64
    private var s1: UInt64
    private var s2: UInt64
    private var s3: UInt64

    /// Seeds the generator for one stream of a run: `stream` picks an independent sequence.
    init(seed: UInt64, stream: UInt64) {
        var seeder = SplitMix64(state: seed ^ SplitMix64.mix(stream &+ 0x5851_F42D_4C95_7F2D))
        s0 = seeder.next()
        s1 = seeder.next()
        s2 = seeder.next()
        s3 = seeder.next()
    }

    @inline(__always)
    mutating func next() -> UInt64 {
        let result = rotateLeft(s1 &* 5, by: 7) &* 9
        let t = s1 << 17
        s2 ^= s0
        s3 ^= s1
        s1 ^= s2
        s0 ^= s3
        s2 ^= t
        s3 = rotateLeft(s3, by: 45)
        return result
    }

    /// A uniform double in [0, 1) built from the top 53 bits: exact, so identical everywhere.
    @inline(__always)
    mutating func unit() -> Double {
        Double(next() >> 11) * 0x1p-53
    }

    /// True with probability `probability`.
    @inline(__always)
    mutating func chance(_ probability: Double) -> Bool {
        unit() < probability
    }

    /// A uniform integer in `0..<bound` (bound > 0); the tiny modulo bias is irrelevant here.
    @inline(__always)
    mutating func below(_ bound: Int) -> Int {
        Int(truncatingIfNeeded: (next() >> 1) % UInt64(bound))
    }

    @inline(__always)
    private func rotateLeft(_ value: UInt64, by count: UInt64) -> UInt64 {
        (value << count) | (value >> (64 - count))
    }
}
