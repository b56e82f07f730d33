import Testing
@testable import ChurnArrow

/// Truncated and corrupted streams: an `ArrowError` or a valid result, never a trap.
/// Run in debug builds, where unsafe buffer accesses check their bounds.
@Suite struct ArrowStreamDamageTests {
    /// A prefix ending exactly where a message ends is itself a whole stream; every other prefix is an error.
    @Test(arguments: Fixture.decodable)
    func everyTruncationIsCaught(fixture: String) throws {
        let bytes = Fixture.bytes(fixture)
        let full = try ArrowStreamReader.read(bytes)
        let boundaries = Set(try Fixture.messageBoundaries(bytes).dropFirst())
        var uncaught: [Int] = []
        for length in 0..<bytes.count {
            do {
                let partial = try ArrowStreamReader.read(Array(bytes.prefix(length)))
                #expect(boundaries.contains(length), "prefix of \(length) bytes decoded")
                #expect(partial.schema == full.schema)
                #expect(Array(full.batches.map(\.rowCount).prefix(partial.batches.count)) == partial.batches.map(\.rowCount))
            } catch {
                if error.kind != .truncated { uncaught.append(length) }
            }
        }
        // Cutting a stream short is reported as truncation, not as some other damage.
        #expect(uncaught.isEmpty, "prefixes not reported as truncated: \(uncaught)")
    }

    @Test(arguments: ["multi_batch.arrows", "strings.arrows", "decimals.arrows", "bools_dates.arrows"])
    func everyFlippedBitDecodesOrFails(fixture: String) {
        let original = Fixture.bytes(fixture)
        var failures = 0
        for offset in original.indices {
            var damaged = original
            damaged[offset] ^= UInt8(1) << UInt8(offset % 8)
            if let error = Fixture.error(damaged) {
                failures += 1
                #expect(error.description.hasPrefix("Arrow stream "))
            }
        }
        // Body bytes flip silently, metadata flips mostly do not: some but not all must fail.
        #expect(failures > 0)
        #expect(failures < original.count)
    }

    @Test(arguments: Fixture.decodable)
    func randomCorruptionsDecodeOrFail(fixture: String) {
        let original = Fixture.bytes(fixture)
        var random = SplitMix64(seed: UInt64(original.count))
        let hostileBytes: [UInt8] = [0x00, 0xFF, 0x7F, 0x80, 0x01]
        var failures = 0
        for _ in 0..<300 {
            var damaged = original
            for _ in 0..<(1 + random.next() % 4) {
                let offset = Int(random.next() % UInt64(damaged.count))
                damaged[offset] = random.next() % 2 == 0
                    ? UInt8(truncatingIfNeeded: random.next())
                    : hostileBytes[Int(random.next() % UInt64(hostileBytes.count))]
            }
            if Fixture.error(damaged) != nil { failures += 1 }
        }
        #expect(failures > 0)
    }
}

/// A small deterministic generator, so a failing corruption can be replayed.
struct SplitMix64 {
    private var state: UInt64

    init(seed: UInt64) {
        state = seed
    }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var mixed = state
        mixed = (mixed ^ (mixed >> 30)) &* 0xBF58_476D_1CE4_E5B9
        mixed = (mixed ^ (mixed >> 27)) &* 0x94D0_49BB_1331_11EB
        return mixed ^ (mixed >> 31)
    }
}
