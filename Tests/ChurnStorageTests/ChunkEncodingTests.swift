import Testing
@testable import ChurnStorage

/// Encodes then decodes, returning the values and the NULL rows the chunk reports.
private func roundTrip(_ values: [Int64], nulls: NullMask? = nil, type: ColumnType = .integer) throws -> (ColumnChunk, [Int64], NullMask?) {
    let chunk = try values.withUnsafeBufferPointer { try ChunkEncoder.encode($0, nulls: nulls, type: type) }
    var decoded = [Int64](repeating: -1, count: values.count)
    var scratch: [UInt8] = []
    let mask = try decoded.withUnsafeMutableBufferPointer { try IntegerCodec.decode(chunk, into: $0.baseAddress!, scratch: &scratch) }
    return (chunk, decoded, mask)
}

/// A deterministic pseudo-random sequence for test data.
private struct TestRandom {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

@Suite struct ChunkEncodingTests {
    @Test func constantChunkStoresNoBody() throws {
        let values = [Int64](repeating: 42, count: 5000)
        let (chunk, decoded, mask) = try roundTrip(values)
        #expect(chunk.encoding == .constant)
        #expect(chunk.body.isEmpty)
        #expect(decoded == values)
        #expect(mask == nil)
        #expect(chunk.statistics.integerRange == 42...42)
    }

    @Test func runsBecomeRunLength() throws {
        let values = (0..<40_000).map { Int64($0 / 1000) * 7 }
        let (chunk, decoded, _) = try roundTrip(values)
        #expect(chunk.encoding == .runLength)
        #expect(chunk.entryCount == 40)
        #expect(decoded == values)
    }

    @Test func mostlyZeroBecomesSparse() throws {
        var values = [Int64](repeating: 0, count: 65_536)
        for position in stride(from: 17, to: 65_536, by: 997) { values[position] = Int64(position) * 1234 }
        let (chunk, decoded, _) = try roundTrip(values, type: .decimal(scale: 2))
        #expect(chunk.encoding == .sparse)
        #expect(chunk.entryCount == values.filter { $0 != 0 }.count)
        #expect(decoded == values)
        #expect(!chunk.statistics.isAllZero)
    }

    @Test func allZeroChunkSaysSo() throws {
        let (chunk, _, _) = try roundTrip([Int64](repeating: 0, count: 100))
        #expect(chunk.statistics.isAllZero)
    }

    @Test(arguments: [Int64(200), 60_000, 4_000_000_000, Int64.max / 3])
    func plainUsesTheNarrowestWidth(span: Int64) throws {
        var random = TestRandom(state: 7)
        let values = (0..<10_000).map { _ in -5 + Int64(random.next() % UInt64(span)) }
        let (chunk, decoded, _) = try roundTrip(values)
        #expect(chunk.encoding == .plain)
        let expectedWidth = span <= 0xFF ? 1 : span <= 0xFFFF ? 2 : span <= 0xFFFF_FFFF ? 4 : 8
        #expect(chunk.byteWidth == expectedWidth)
        #expect(decoded == values)
    }

    @Test func extremeValuesSurvive() throws {
        let values: [Int64] = [Int64.min, Int64.max, 0, -1, 1, Int64.min, Int64.max]
        let (chunk, decoded, _) = try roundTrip(values)
        #expect(chunk.byteWidth == 8)
        #expect(decoded == values)
        #expect(chunk.statistics.integerRange == Int64.min...Int64.max)
    }

    @Test func nullsRoundTripAndStayOutOfStatistics() throws {
        var nulls = NullMask(rowCount: 1000)
        var values = (0..<1000).map { Int64($0 % 10) }
        for row in stride(from: 3, to: 1000, by: 7) { nulls.setNull(row); values[row] = 999_999 }
        let (chunk, decoded, mask) = try roundTrip(values, nulls: nulls)
        #expect(chunk.nullCount == 143)
        #expect(mask == nulls)
        for row in 0..<1000 where !nulls.isNull(row) { #expect(decoded[row] == Int64(row % 10)) }
        #expect(chunk.statistics.integerRange == 0...9)
    }

    @Test func allNullChunk() throws {
        var nulls = NullMask(rowCount: 300)
        for row in 0..<300 { nulls.setNull(row) }
        let (chunk, _, mask) = try roundTrip([Int64](repeating: 0, count: 300), nulls: nulls)
        #expect(chunk.statistics.isAllNull)
        #expect(chunk.statistics.integerRange == nil)
        #expect(mask?.nullCount == 300)
    }

    @Test func emptyChunk() throws {
        let (chunk, decoded, mask) = try roundTrip([])
        #expect(chunk.rowCount == 0)
        #expect(decoded.isEmpty)
        #expect(mask == nil)
    }

    @Test func oneRowChunk() throws {
        let (chunk, decoded, _) = try roundTrip([-77])
        #expect(chunk.rowCount == 1)
        #expect(decoded == [-77])
    }

    @Test func doublesRoundTripBitExactly() throws {
        var random = TestRandom(state: 11)
        var doubles = (0..<5000).map { _ in Double(random.next() % 1_000_000) / 7.0 }
        doubles[0] = -0.0
        doubles[1] = .greatestFiniteMagnitude
        doubles[2] = -.leastNonzeroMagnitude
        let bits = doubles.map { Int64(bitPattern: $0.bitPattern) }
        let chunk = try bits.withUnsafeBufferPointer { try ChunkEncoder.encode($0, nulls: nil, type: .double) }
        var decoded = [Double](repeating: 0, count: doubles.count)
        var scratch: [UInt8] = []
        _ = try decoded.withUnsafeMutableBufferPointer { try IntegerCodec.decode(chunk, into: $0.baseAddress!, scratch: &scratch) }
        #expect(decoded.map(\.bitPattern) == doubles.map(\.bitPattern))
        #expect(chunk.statistics.doubleRange == -.leastNonzeroMagnitude ... .greatestFiniteMagnitude)
    }

    @Test func dimensionCodesDecodeToUInt32AndListDistinctCodes() throws {
        let codes: [Int64] = (0..<20_000).map { Int64([3, 1, 4, 1, 5, 0][$0 % 6]) }
        let chunk = try codes.withUnsafeBufferPointer { try ChunkEncoder.encode($0, nulls: nil, type: .dimension) }
        var decoded = [UInt32](repeating: 0, count: codes.count)
        var scratch: [UInt8] = []
        _ = try decoded.withUnsafeMutableBufferPointer { try IntegerCodec.decode(chunk, into: $0.baseAddress!, scratch: &scratch) }
        #expect(decoded == codes.map { UInt32($0) })
        #expect(chunk.statistics.distinctCodes == [1, 3, 4, 5])
        #expect(chunk.statistics.nullCount == 3333)
        #expect(chunk.statistics.mayContain(anyOf: CodeSet(capacity: 8, codes: [4])))
        #expect(!chunk.statistics.mayContain(anyOf: CodeSet(capacity: 8, codes: [2])))
    }

    @Test func nullCodesCountForAChunkThatListsItsCodes() throws {
        // NULL rows carry code 0, which the distinct-code list leaves out.
        let codes: [Int64] = [1, 1, 0, 2]
        let chunk = try codes.withUnsafeBufferPointer { try ChunkEncoder.encode($0, nulls: nil, type: .dimension) }
        #expect(chunk.statistics.distinctCodes == [1, 2])
        #expect(chunk.statistics.mayContain(anyOf: CodeSet(capacity: 4, codes: [0])))
        let noNulls = try [Int64]([1, 2]).withUnsafeBufferPointer { try ChunkEncoder.encode($0, nulls: nil, type: .dimension) }
        #expect(!noNulls.statistics.mayContain(anyOf: CodeSet(capacity: 4, codes: [0])))
    }

    @Test func distinctCodesMixSmallAndLargeCodesUpToTheLimit() throws {
        // Codes on both sides of the bitmap's limit, each repeated out of order: listed sorted,
        // once each, while there are at most 64 of them.
        let small: [Int64] = [4095, 1, 64, 63, 2]
        let large: [Int64] = [4096, 700_000, 5000]
        let codes = (0..<3_000).map { index in (small + large)[(index * 5) % 8] }
        let chunk = try codes.withUnsafeBufferPointer { try ChunkEncoder.encode($0, nulls: nil, type: .dimension) }
        #expect(chunk.statistics.distinctCodes == [1, 2, 63, 64, 4095, 4096, 5000, 700_000])
        let sixtyFour = (0..<1_000).map { Int64(($0 % 64) * 97 + 1) }
        let full = try sixtyFour.withUnsafeBufferPointer { try ChunkEncoder.encode($0, nulls: nil, type: .dimension) }
        #expect(full.statistics.distinctCodes == (0..<64).map { UInt32($0 * 97 + 1) })
        let sixtyFive = sixtyFour + [10_000]
        let over = try sixtyFive.withUnsafeBufferPointer { try ChunkEncoder.encode($0, nulls: nil, type: .dimension) }
        #expect(over.statistics.distinctCodes == nil)
        #expect(over.statistics.integerRange == 1...10_000)
    }

    @Test func maximumCardinalityChunk() throws {
        // Every row a different code near the top of the 32-bit code space.
        let codes = (0..<ColumnChunk.maximumRowCount).map { Int64(UInt32.max) - Int64($0) * 3 }
        let (chunk, decoded, _) = try roundTrip(codes, type: .dimension)
        #expect(chunk.statistics.distinctCodes == nil)
        #expect(chunk.byteWidth == 4)
        #expect(decoded == codes)
        #expect(!chunk.statistics.mayContain(anyOf: CodeSet(capacity: 64, codes: [5])))
    }

    @Test func damagedHeaderIsAnErrorNotACrash() throws {
        let values = (0..<1000).map { Int64($0) }
        var (chunk, _, _) = try roundTrip(values)
        chunk.byteWidth = 3
        var scratch: [UInt8] = []
        var out = [Int64](repeating: 0, count: 1000)
        #expect(throws: StorageError.self) {
            _ = try out.withUnsafeMutableBufferPointer { try IntegerCodec.decode(chunk, into: $0.baseAddress!, scratch: &scratch) }
        }
    }

    @Test func codeSetIntersectsRanges() {
        let set = CodeSet(capacity: 300, codes: [5, 130, 299])
        #expect(set.intersects(0...5))
        #expect(!set.intersects(6...129))
        #expect(set.intersects(100...200))
        #expect(!set.intersects(300...1000))
        #expect(set.members == [5, 130, 299])
    }
}
