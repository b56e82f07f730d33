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

    /// A frame header may claim any size (found by fuzzing the snapshot reader): one no frame of
    /// its length can hold is refused before it is allocated, and the most compressible data still passes.
    @Test func rejectsADeclaredSizeTheFrameCannotHold() throws {
        // Magic, a single-segment header with an 8-byte content size of 2^40, one empty raw block.
        let frame: [UInt8] = [0x28, 0xB5, 0x2F, 0xFD, 0xE0] + [0, 0, 0, 0, 0, 1, 0, 0] + [0x01, 0x00, 0x00]
        #expect(throws: ZstdError("frame of 16 bytes declares 1099511627776 bytes, more than it can hold")) {
            _ = try frame.withUnsafeBytes { try Zstd.contentSize(of: $0) }
        }
        let zeros = [UInt8](repeating: 0, count: 10 << 20)
        let compressed = try Zstd.compress(zeros)
        #expect(try Zstd.decompress(compressed) == zeros)
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
