import Testing
@testable import ChurnQuery

@Suite struct OrderKeyColumnTests {
    /// Values of one kind with NULLs and many ties, drawn from a fixed sequence.
    private static func column(_ kind: Int, rows: Int, seed: UInt64, nulls: Bool = true) -> [ResultValue] {
        var state = seed
        func next() -> Int {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Int(truncatingIfNeeded: state >> 33)
        }
        let texts = ["", "a", "ab", "b", "Zürich, \"east\"", "東京", "e\u{301}", "\u{e9}", "A0000001", "A0000010"]
        return (0..<rows).map { _ in
            if nulls && next() % 7 == 0 { return next() % 2 == 0 ? .null : .subtotal }
            switch kind {
            case 0: return next() % 11 == 0 ? .integer(next() % 2 == 0 ? .min : .max) : .integer(Int64(next() % 9) - 4)
            case 1: return .decimal(units: Int64(next() % 13) * 25 - 100, scale: 2)
            case 2: return .text(texts[next() % texts.count])
            case 3: return .boolean(next() % 2 == 0)
            case 4: return .double([-1.5, 0, -0.0, 2.25, 1e-300, -1e300, .infinity, -.infinity][next() % 8])
            default: return next() % 2 == 0 ? .integer(Int64(next() % 5)) : .decimal(units: Int64(next() % 500), scale: 2)
            }
        }
    }

    /// The typed comparison orders rows exactly as the comparison of result values does, for
    /// every kind, direction and NULL placement, ties in row order.
    @Test(arguments: [0, 1, 2, 3, 4, 5])
    func ordersAsTheValueComparisonDoes(kind: Int) throws {
        let rows = 600
        for (seed, (descending, nullsFirst)) in [(false, false), (true, false), (false, true), (true, true)].enumerated() {
            let first = Self.column(kind, rows: rows, seed: UInt64(seed + 1))
            let second = Self.column(2, rows: rows, seed: UInt64(seed + 11))
            let order = [BoundOrder(output: 0, descending: descending, nullsFirst: nullsFirst),
                         BoundOrder(output: 1, descending: !descending, nullsFirst: false)]
            let columns = try [#require(OrderKeyColumn(first)), #require(OrderKeyColumn(second))]
            let typed = OrderKeyColumn.permutation(columns, order, count: rows)
            let keys = (0..<rows).map { [first[$0], second[$0]] }
            let generic = (0..<rows).sorted { ResultOrdering.precedes(keys[$0], keys[$1], order) ?? ($0 < $1) }
            #expect(typed == generic, "kind \(kind), descending \(descending), nulls first \(nullsFirst)")
        }
    }

    /// A first item of numbers without NULLs is sorted by its words carried in the elements
    /// (negated when descending, Int64.min and .max among them), by comparison below
    /// `radixSortMinimum` rows and by radix above it, ties by the next item: the same order again.
    @Test(arguments: [0, 1, 3, 4, 5])
    func leadingNumbersWithoutNullsOrderAsTheValueComparisonDoes(kind: Int) throws {
        for rows in [600, 3 * OrderKeyColumn.radixSortMinimum] {
            for (seed, descending) in [false, true].enumerated() {
                let first = Self.column(kind, rows: rows, seed: UInt64(seed + 21), nulls: false)
                let second = Self.column(2, rows: rows, seed: UInt64(seed + 31))
                let order = [BoundOrder(output: 0, descending: descending, nullsFirst: false),
                             BoundOrder(output: 1, descending: false, nullsFirst: true)]
                let columns = try [#require(OrderKeyColumn(first)), #require(OrderKeyColumn(second))]
                let typed = OrderKeyColumn.permutation(columns, order, count: rows)
                let keys = (0..<rows).map { [first[$0], second[$0]] }
                let generic = (0..<rows).sorted { ResultOrdering.precedes(keys[$0], keys[$1], order) ?? ($0 < $1) }
                #expect(typed == generic, "kind \(kind), descending \(descending), \(rows) rows")
                let alone = OrderKeyColumn.permutation([columns[0]], [order[0]], count: rows)
                #expect(alone == (0..<rows).sorted { ResultOrdering.precedes([first[$0]], [first[$1]], [order[0]]) ?? ($0 < $1) })
            }
        }
    }

    /// Canonically equivalent texts stay apart and order by their bytes ("e" + accent before "é").
    @Test func textsOrderByBytes() throws {
        let values: [ResultValue] = [.text("\u{e9}"), .text("e\u{301}"), .text("f"), .text("e")]
        let column = try #require(OrderKeyColumn(values))
        #expect(OrderKeyColumn.permutation([column], [BoundOrder(output: 0, descending: false, nullsFirst: false)], count: 4) == [3, 1, 2, 0])
    }

    /// A text beside numbers has no typed form: the generic comparison orders that item.
    @Test func mixedTextAndNumbersFallBack() {
        #expect(OrderKeyColumn([.text("a"), .integer(1)]) == nil)
        #expect(OrderKeyColumn([.boolean(true), .integer(1)]) == nil)
    }
}
