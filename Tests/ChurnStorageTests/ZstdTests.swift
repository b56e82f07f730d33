import Testing
@testable import ChurnStorage

@Suite struct ZstdTests {
    @Test func roundTripsBytes() throws {
        let input = (0..<10_000).map { UInt8(truncatingIfNeeded: $0 % 7) }
        let frame = try Zstd.compress(input)
        #expect(frame.count < input.count / 10)
        #expect(try Zstd.decompress(frame) == input)
    }

    @Test func roundTripsEmptyInput() throws {
        let frame = try Zstd.compress([UInt8]())
        #expect(try Zstd.decompress(frame) == [])
    }

    @Test func rejectsBytesThatAreNotAFrame() {
        #expect(throws: ZstdError("not a zstd frame")) {
            _ = try Zstd.decompress([1, 2, 3, 4, 5, 6, 7, 8, 9])
        }
    }

    @Test func rejectsATruncatedFrame() throws {
        let input = (0..<50_000).map { UInt8(truncatingIfNeeded: $0 &* 2_654_435_761 >> 7) }
        var frame = try Zstd.compress(input)
        frame.removeLast(frame.count / 2)
        #expect(throws: ZstdError.self) { _ = try Zstd.decompress(frame) }
    }

    @Test func rejectsACorruptedFrame() throws {
        let input = (0..<50_000).map { UInt8(truncatingIfNeeded: $0 &* 2_654_435_761 >> 7) }
        var frame = try Zstd.compress(input)
        frame[frame.count / 2] ^= 0xFF
        // zstd detects most corruption itself; checksums at the chunk level catch the rest.
        let result = try? Zstd.decompress(frame)
        #expect(result != input)
    }
}
