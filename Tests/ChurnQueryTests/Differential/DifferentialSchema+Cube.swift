import ChurnModel
import ChurnSyntax

extension DifferentialSchema {
    /// The schema of a loaded cube. `columnValues` are the values the CSV holds per column, for
    /// the members and constants of conditions; `extremeFacts` hold values near the ends of 64
    /// bits, `wideFacts` values up to 10^15.
    init(cube: Cube, groupable: [String], wideDimension: String, rowKey: [String], columnValues: [String: [String]],
         extremeFacts: Set<String> = [], wideFacts: Set<String> = [], seed: UInt64) throws {
        var random = SplitMix(state: seed)
        let definition = cube.definition
        var members: [String: [String]] = [:]
        for dimension in definition.dimensions {
            var seen = Set<[UInt8]>()
            var values: [String] = []
            let stored = cube.store.column(named: dimension.name)!.dictionary.values.dropFirst()
            for value in Array(stored) + (columnValues[dimension.name] ?? []) where seen.insert(Array(value.utf8)).inserted {
                values.append(value)
            }
            members[dimension.name] = values
        }
        members.merge(Self.levelMembers(ofMonths: members["period"] ?? [])) { $1 }

        let facts = definition.facts.map { fact -> Fact in
            let kind: FactKind
            switch fact.kind {
            case .integer: kind = .integer
            case .flag: kind = .flag
            case .money: kind = .money
            case .double: kind = .double
            }
            let extreme = extremeFacts.contains(fact.name)
            var literals = random.sample(Array(Set(columnValues[fact.name] ?? [])).sorted(), 6)
            switch kind {
            case .flag: literals += ["0", "1"]
            case .integer: literals += extreme ? ["0", "9223372036854775807", "-9223372036854775807", "9223372036854774807"] : ["0", "1", "-1", "15"]
            case .money: literals += ["0", "0.005", "-0.01", "99.99", "1200.25"]
            case .double: literals += ["0.5", "100", "0"]
            }
            return Fact(name: fact.name, kind: kind, literals: literals, extreme: extreme, wide: wideFacts.contains(fact.name))
        }
        let doubleFacts = Set(facts.filter { $0.kind == .double }.map(\.name))
        // mrr-like semi-additive measures have no single SQL expression: the behaviour files test them.
        let measures = try definition.measures.filter { if case .semiAdditive = $0.additivity { return false }; return true }.map { measure in
            let formula = try Parser.parseExpression(measure.formula)
            let approximate = formula.contains { node in
                switch node.kind {
                case .binary(.divide, _, _): return true
                case let .function(call): return call.name.normalized == "avg"
                case let .column(identifier): return doubleFacts.contains(identifier.name)
                default: return false
                }
            }
            return Measure(name: measure.name, duckDB: nullOnZeroDivision(formula).description, exact: !approximate)
        }
        self.init(table: definition.name, dimensions: definition.dimensions.map(\.name), groupable: groupable,
                  levels: Self.monthLevels, hierarchies: definition.hierarchies.map { ($0.name, $0.levels) },
                  members: members, facts: facts, measures: measures, rowKey: rowKey, wideDimension: wideDimension)
    }
}

/// DuckDB gives infinity or NaN for x / 0 where ChurnCube gives NULL: divide by NULLIF(d, 0).
private func nullOnZeroDivision(_ expression: ChurnSyntax.Expression) -> ChurnSyntax.Expression {
    switch expression.kind {
    case let .binary(op, left, right):
        let (l, r) = (nullOnZeroDivision(left), nullOnZeroDivision(right))
        return op == .divide ? .binary(.divide, l, .call("NULLIF", r, .integer(0))) : .binary(op, l, r)
    default:
        return expression
    }
}
