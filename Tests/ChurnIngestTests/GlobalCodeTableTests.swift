import Testing
@testable import ChurnIngest

@Suite struct GlobalCodeTableTests {
    /// Values of every length class: empty, shorter than 8 bytes, exactly 8, longer (with a
    /// shared 8-byte prefix, so only the tail tells them apart), enough to make the table grow.
    private static let values: [String] = (0..<5_000).map { index in
        switch index % 4 {
        case 0: return "A\(index)"
        case 1: return String(format: "A%07d", index)
        case 2: return "customer-\(index)-long"
        default: return "customer" + String(index)
        }
    } + [""]

    private func code(_ table: inout GlobalCodeTable, _ value: String, next: inout UInt32) -> UInt32 {
        Array(value.utf8).withUnsafeBytes { bytes in
            table.code(of: bytes) { next += 1; return next }
        }
    }

    @Test func everyValueKeepsTheCodeItGotFirst() {
        var table = GlobalCodeTable()
        var next: UInt32 = 0
        let first = Self.values.map { code(&table, $0, next: &next) }
        #expect(first == (1...UInt32(Self.values.count)).map { $0 })
        let again = Self.values.reversed().map { code(&table, $0, next: &next) }
        #expect(again == first.reversed())
        #expect(table.count == Self.values.count)
        #expect(next == UInt32(Self.values.count))
    }

    @Test func batchedLookupsGiveTheCodesOfSingleOnes() {
        // Half the values known beforehand, then all of them in batches: the known ones keep
        // their codes, the new ones get codes in input order, as one by one.
        var single = GlobalCodeTable()
        var batched = GlobalCodeTable()
        var nextSingle: UInt32 = 0
        var nextBatched: UInt32 = 0
        let known = Self.values.enumerated().filter { $0.offset % 2 == 0 }.map(\.element)
        for value in known {
            _ = code(&single, value, next: &nextSingle)
            _ = code(&batched, value, next: &nextBatched)
        }
        let expected = Self.values.map { code(&single, $0, next: &nextSingle) }
        let bytes = Self.values.map { Array($0.utf8) }
        var got = [UInt32](repeating: 0, count: bytes.count)
        var newOrder: [Int] = []
        let pointers = bytes.map { value in
            let copy = UnsafeMutableRawBufferPointer.allocate(byteCount: value.count, alignment: 1)
            copy.copyBytes(from: value)
            return UnsafeRawBufferPointer(copy)
        }
        defer { for pointer in pointers { pointer.deallocate() } }
        batched.codes(count: bytes.count, value: { pointers[$0] }, newCode: { index in
            newOrder.append(index)
            nextBatched += 1
            return nextBatched
        }, found: { index, code in got[index] = code })
        #expect(got == expected)
        #expect(newOrder == Self.values.indices.filter { $0 % 2 == 1 })
        #expect(batched.count == Self.values.count)
    }

    @Test func aValueDiffersFromItsPrefixAndFromItsPaddedForm() {
        var table = GlobalCodeTable()
        var next: UInt32 = 0
        let codes = ["customer", "customer1", "customer\u{0}", "ab", "ab\u{0}"].map { code(&table, $0, next: &next) }
        #expect(Set(codes).count == 5)
    }
}
