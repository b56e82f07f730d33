import Testing
@testable import ChurnIngest

@Suite struct ByteInternerTests {
    /// Every length up to 17 bytes, and for each, values that differ in exactly one position:
    /// the word loop, each of the 4-, 2- and 1-byte tail reads and their combinations must all
    /// tell them apart.
    private static let values: [[UInt8]] = (0...17).flatMap { length -> [[UInt8]] in
        let base = (0..<length).map { UInt8(ascii: "a") + UInt8($0) }
        return [base] + (0..<length).map { position in
            var changed = base
            changed[position] = UInt8(ascii: "Z")
            return changed
        }
    }

    private func intern(_ interner: inout ByteInterner, _ value: [UInt8]) -> UInt32 {
        value.withUnsafeBytes { interner.intern($0, line: 1) }
    }

    @Test func valuesDifferingInOneByteGetTheirOwnCodes() {
        var interner = ByteInterner()
        let codes = Self.values.map { intern(&interner, $0) }
        #expect(codes == (1...UInt32(Self.values.count)).map { $0 })
        #expect(Self.values.reversed().map { intern(&interner, $0) } == codes.reversed())
        #expect(interner.count == Self.values.count)
        for (value, code) in zip(Self.values, codes) { #expect(Array(interner.bytes(of: code)) == value) }
    }

    @Test func theTailWordHoldsTheLastBytesInOrder() {
        let bytes: [UInt8] = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15]
        bytes.withUnsafeBytes { raw in
            #expect(ByteInterner.tail(UnsafeRawBufferPointer(rebasing: raw[0..<7]), from: 0) == 0x07_0605_0403_0201)
            #expect(ByteInterner.tail(UnsafeRawBufferPointer(rebasing: raw[0..<11]), from: 8) == 0x0B_0A09)
            #expect(ByteInterner.tail(UnsafeRawBufferPointer(rebasing: raw[0..<14]), from: 8) == 0x0E0D_0C0B_0A09)
            #expect(ByteInterner.tail(UnsafeRawBufferPointer(rebasing: raw[0..<1]), from: 0) == 0x01)
        }
    }
}
