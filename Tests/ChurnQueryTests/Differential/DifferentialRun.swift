import ChurnQuery
import Foundation

/// Runs generated queries on ChurnCube and DuckDB and compares every row.
struct DifferentialRun {
    /// Queries whose rows matched.
    var matched = 0
    /// Queries both engines refused for overflow (`balance + 1` on the largest integer).
    var bothRefused = 0
    /// Queries ChurnCube refused because a sum left 64 bits, where DuckDB's HUGEINT goes on:
    /// the documented limit.
    var sumsPastSixtyFourBits = 0
    var differences: [String] = []

    var compared: Int { matched + bothRefused + sumsPastSixtyFourBits }

    init(engine: QueryEngine, csv: String, schema: DifferentialSchema, seed: UInt64, count: Int) throws {
        var generator = QueryGenerator(seed: seed, schema: schema)
        let pairs = (0..<count).map { _ in generator.next() }
        let answers = try DuckDBOracle.run(csv: csv, schema: schema, queries: pairs.map(\.duckDB))
        for (index, (pair, answer)) in zip(pairs, answers).enumerated() {
            let actual: Result<[[OracleValue]], Error> = Result { try engine.execute(pair.churnCube).rows.map { $0.map(OracleValue.init) } }
            if let problem = judge(actual, answer, pair) {
                differences.append("query \(index) \(problem)\nChurnCube: \(pair.churnCube)\nDuckDB:    \(pair.duckDB)")
            }
        }
    }

    /// nil when the engines agree, else what differs.
    private mutating func judge(_ actual: Result<[[OracleValue]], Error>, _ expected: DuckDBOracle.Answer, _ pair: QueryPair) -> String? {
        switch (actual, expected) {
        case let (.success(rows), .rows(expectedRows)):
            if let difference = Self.compare(rows, expectedRows, keyCount: pair.keyCount, ordered: pair.ordered) { return "differs: \(difference)" }
            matched += 1
            return nil
        case let (.failure(error), .error(message)):
            if Self.isOverflow(churnCube: "\(error)") && Self.isOverflow(duckDB: message) {
                bothRefused += 1
                return nil
            }
            return "failed on both: ChurnCube: \(error)\nDuckDB: \(message)"
        case let (.failure(error), .rows):
            if "\(error)".contains("exceeds the range of 64-bit integers; sums are exact and never wrap") {
                sumsPastSixtyFourBits += 1
                return nil
            }
            return "failed on ChurnCube only: \(error)"
        case let (.success(rows), .error(message)):
            return "failed on DuckDB only: \(message)\nChurnCube's rows: \(rows.prefix(5).map { $0.map(\.description) })"
        }
    }

    private static func isOverflow(churnCube message: String) -> Bool {
        message.contains("overflow") || message.contains("exceeds the range")
    }

    private static func isOverflow(duckDB message: String) -> Bool {
        message.contains("Overflow") || message.contains("out of range")
    }

    static func compare(_ actual: [[OracleValue]], _ expected: [[OracleValue]], keyCount: Int, ordered: Bool) -> String? {
        // By bytes: Swift's String order takes canonically equivalent members for equal.
        func key(_ row: [OracleValue]) -> [UInt8] { Array(row.prefix(keyCount).map(\.description).joined(separator: "|").utf8) }
        let left = ordered ? actual : actual.sorted { key($0).lexicographicallyPrecedes(key($1)) }
        let right = ordered ? expected : expected.sorted { key($0).lexicographicallyPrecedes(key($1)) }
        for (position, (a, b)) in zip(left, right).enumerated() {
            guard a.count == b.count, zip(a, b).allSatisfy({ $0.matches($1) }) else {
                return "row \(position): \(a) vs DuckDB \(b)"
            }
        }
        guard actual.count == expected.count else {
            let extra = actual.count > expected.count ? "ChurnCube's next: \(left[right.count])" : "DuckDB's next: \(right[left.count])"
            return "\(actual.count) rows, DuckDB \(expected.count); \(extra)"
        }
        return nil
    }
}
