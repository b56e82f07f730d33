import ChurnStorage

/// A cube's schema: its dimensions, derived levels, hierarchies, fact columns and named measures.
///
/// Written by hand in YAML (`Cubes/*.yaml`) or inferred from a CSV header; immutable after validation.
package struct CubeDefinition: Sendable {
    package var name: String
    package var description: String
    package var dimensions: [DimensionDefinition]
    package var levels: [DerivedLevel]
    package var hierarchies: [Hierarchy]
    package var facts: [FactColumn]
    package var measures: [MeasureDefinition]
    /// Early-warning rules on account-months (`rules:`), in the order the file lists them.
    package var rules: [RuleDefinition] = []
    /// The physical order of the rows in the store (`sort:` in the file).
    package var sortKey: SortKey = .automatic
    /// The remote table holding the facts, when the definition names one.
    package var source: RemoteSource?
    /// Where the definition came from (a file path, or a note that it was inferred).
    package var origin: String
    /// Line in `origin` where each name (lowercased) was declared, for errors found later.
    package var declarationLines: [String: Int] = [:]

    /// `origin:line` of a declared name, for messages about it.
    package func place(of name: String) -> String {
        guard let line = declarationLines[name.lowercased()], line > 0 else { return origin }
        return "\(origin):\(line)"
    }

    package init(name: String, description: String = "", dimensions: [DimensionDefinition], levels: [DerivedLevel] = [],
                 hierarchies: [Hierarchy] = [], facts: [FactColumn], measures: [MeasureDefinition], origin: String) {
        self.name = name
        self.description = description
        self.dimensions = dimensions
        self.levels = levels
        self.hierarchies = hierarchies
        self.facts = facts
        self.measures = measures
        self.origin = origin
    }

    package func dimension(named name: String) -> DimensionDefinition? {
        dimensions.first { $0.name.caseInsensitiveCompare(name) }
    }

    package func level(named name: String) -> DerivedLevel? {
        levels.first { $0.name.caseInsensitiveCompare(name) }
    }

    package func hierarchy(named name: String) -> Hierarchy? {
        hierarchies.first { $0.name.caseInsensitiveCompare(name) }
    }

    package func fact(named name: String) -> FactColumn? {
        facts.first { $0.name.caseInsensitiveCompare(name) }
    }

    package func measure(named name: String) -> MeasureDefinition? {
        measures.first { $0.name.caseInsensitiveCompare(name) }
    }

    package func rule(named name: String) -> RuleDefinition? {
        rules.first { $0.name.caseInsensitiveCompare(name) }
    }

    /// The stored columns, dimensions first, in the order the store lays them out.
    package var storedColumns: [(name: String, type: ColumnType)] {
        dimensions.map { ($0.name, ColumnType.dimension) } + facts.map { ($0.name, $0.type) }
    }

    /// Every name a query may use for a grouping attribute: stored dimensions and derived levels.
    package var groupableNames: [String] { dimensions.map(\.name) + levels.map(\.name) }
}

/// A stored text column that queries group and filter by.
package struct DimensionDefinition: Sendable, Equatable {
    package enum ValueKind: String, Sendable {
        case text
        /// `YYYY-MM`: ordered, rolls up to quarter and year.
        case month
        /// `YYYY-Qn`.
        case quarter
    }

    package var name: String
    package var kind: ValueKind
    package var description: String

    package init(name: String, kind: ValueKind = .text, description: String = "") {
        self.name = name
        self.kind = kind
        self.description = description
    }
}

/// A level computed from another dimension's values, such as the quarter of a month.
package struct DerivedLevel: Sendable, Equatable {
    package enum Function: String, Sendable, CaseIterable {
        case year
        case quarter

        /// The level's value for a source value, or nil when the source is not a `YYYY-MM` month.
        package func apply(_ month: String) -> String? {
            let utf8 = Array(month.utf8)
            guard utf8.count == 7, utf8[4] == UInt8(ascii: "-"),
                  utf8[0..<4].allSatisfy({ $0 >= 48 && $0 <= 57 }),
                  let monthNumber = Int(month.suffix(2)), (1...12).contains(monthNumber) else { return nil }
            let year = String(month.prefix(4))
            switch self {
            case .year: return year
            case .quarter: return "\(year)-Q\((monthNumber - 1) / 3 + 1)"
            }
        }
    }

    package var name: String
    package var source: String
    package var function: Function

    package init(name: String, source: String, function: Function) {
        self.name = name
        self.source = source
        self.function = function
    }
}

/// Levels from the coarsest to the finest; `ROLLUP(hierarchy)` rolls up along them.
package struct Hierarchy: Sendable, Equatable {
    package var name: String
    package var levels: [String]

    package init(name: String, levels: [String]) {
        self.name = name
        self.levels = levels
    }
}

/// A numeric column of the facts.
package struct FactColumn: Sendable, Equatable {
    package enum Kind: String, Sendable, CaseIterable {
        case integer
        /// An integer that is 0 or 1.
        case flag
        /// Fixed-point with two decimals.
        case money
        case double
    }

    package var name: String
    package var kind: Kind

    package init(name: String, kind: Kind) {
        self.name = name
        self.kind = kind
    }

    package var type: ColumnType {
        switch kind {
        case .integer, .flag: return .integer
        case .money: return .decimal(scale: 2)
        case .double: return .double
        }
    }
}

/// A named measure: a formula over aggregates of fact columns, its display format and additivity.
package struct MeasureDefinition: Sendable, Equatable {
    package enum Format: String, Sendable, CaseIterable {
        case count, percent, money, number
    }

    package enum Additivity: Sendable, Equatable {
        case additive
        /// Recomputed from its parts in every cell (ratios, distinct counts, averages).
        case nonAdditive
        /// Summed within one value of `over`; across several, the last (greatest) one counts.
        case semiAdditive(over: String)
    }

    package var name: String
    package var formula: String
    package var format: Format
    package var additivity: Additivity
    package var description: String
    /// Whether a higher value is good news (retention, renewals) rather than bad (churn):
    /// hot-spot search calls "hot" the cells that are worse.
    package var higherIsBetter: Bool
    /// Line of the formula in the definition file, for error messages (0 when inferred).
    package var line: Int

    package init(name: String, formula: String, format: Format, additivity: Additivity, description: String = "",
                 higherIsBetter: Bool = false, line: Int = 0) {
        self.name = name
        self.higherIsBetter = higherIsBetter
        self.formula = formula
        self.format = format
        self.additivity = additivity
        self.description = description
        self.line = line
    }
}

extension String {
    /// Case-insensitive equality, used for every name lookup: SQL users expect `Region` to find `region`.
    func caseInsensitiveCompare(_ other: String) -> Bool {
        self.count == other.count && self.lowercased() == other.lowercased()
    }
}
