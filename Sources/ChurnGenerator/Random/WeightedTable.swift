/// A discrete distribution over a few values, sampled by inverting cumulative weights.
struct WeightedTable<Value: Sendable>: Sendable {
    private let values: [Value]
    private let cumulative: [Double]

    /// Builds the table from `(value, weight)` pairs; weights need not sum to 1.
    init(_ entries: KeyValuePairs<Value, Double>) {
        let total = entries.reduce(0) { $0 + $1.value }
        precondition(total > 0, "a weighted table needs a positive total weight")
        var running = 0.0
        var cumulative: [Double] = []
        for entry in entries {
            running += entry.value
            cumulative.append(running / total)
        }
        self.values = entries.map(\.key)
        self.cumulative = cumulative
    }

    /// The value whose cumulative interval holds `unit` (a uniform draw in [0, 1)).
    @inline(__always)
    func value(at unit: Double) -> Value {
        for index in 0..<(cumulative.count - 1) where unit < cumulative[index] {
            return values[index]
        }
        return values[cumulative.count - 1]
    }

    /// Draws one value.
    @inline(__always)
    func sample(_ random: inout Xoshiro256StarStar) -> Value {
        value(at: random.unit())
    }
}
