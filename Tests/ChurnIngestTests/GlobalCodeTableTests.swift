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

    @Test func aValueDiffersFromItsPrefixAndFromItsPaddedForm() {
        var table = GlobalCodeTable()
        var next: UInt32 = 0
        let codes = ["customer", "customer1", "customer\u{0}", "ab", "ab\u{0}"].map { code(&table, $0, next: &next) }
        #expect(Set(codes).count == 5)
    }
}
