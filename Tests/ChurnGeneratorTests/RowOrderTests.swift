import Testing
@testable import ChurnGenerator

@Suite struct RowOrderTests {
    @Test(arguments: [false, true])
    func periodOrderWritesTheSameRows(effects: Bool) {
        let byAccount = FactTable.generate(rows: 40_000, seed: 11, effects: effects, order: .account)
        let byPeriod = FactTable.generate(rows: 40_000, seed: 11, effects: effects, order: .period)
        #expect(byPeriod.header == byAccount.header)
        #expect(byPeriod.rows.count == byAccount.rows.count)
        let sortKey: ([Substring]) -> String = { $0.joined(separator: ",") }
        #expect(byPeriod.rows.map(sortKey).sorted() == byAccount.rows.map(sortKey).sorted())
    }

    @Test func periodOrderIsSortedByPeriodThenAccount() {
        let table = FactTable.generate(rows: 40_000, seed: 11, order: .period)
        let period = table.column("period")
        let id = table.column("account_id")
        let keys = table.rows.map { ($0[period], $0[id]) }
        #expect(zip(keys, keys.dropFirst()).allSatisfy { $0 < $1 })
    }

    @Test func accountOrderKeepsEachAccountTogether() {
        let table = FactTable.generate(rows: 40_000, seed: 11, order: .account)
        let id = table.column("account_id")
        let period = table.column("period")
        var seen = Set<Substring>()
        for (previous, row) in zip(table.rows, table.rows.dropFirst()) where previous[id] != row[id] {
            #expect(previous[id] < row[id])
            #expect(seen.insert(row[id]).inserted)
        }
        for (previous, row) in zip(table.rows, table.rows.dropFirst()) where previous[id] == row[id] {
            #expect(previous[period] < row[period])
        }
    }
}
