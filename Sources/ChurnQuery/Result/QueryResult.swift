import ChurnStorage
import ChurnSyntax

/// What a statement returns: a table of typed values, or text (DESCRIBE, EXPLAIN, SAVE).
package struct QueryResult: Sendable, Equatable {
    package var columns: [ResultColumn]
    package var rows: [[ResultValue]]
    /// Text for statements that answer in prose (EXPLAIN's plan, DESCRIBE's listing, SAVE's note).
    package var text: String?
    /// How the rows are best shown; the REPL picks bars or a grid from it.
    package var presentation: Presentation
    /// Figures about the result as a whole, beside its caption (a hot-spot search's count of
    /// tested cells): fields of the JSON document.
    package var details: [ResultDetail]
    /// What the statement most likely did not mean, though it ran: a condition on a value that is
    /// no member. The program prints them before the result.
    package var warnings: [Diagnostic] = []

    package enum Presentation: Sendable, Equatable {
        case table
        /// Ranked rows: a bar beside each row scaled by column `barColumn`.
        case ranked(barColumn: Int)
        /// A two-dimension grid: row labels in column 0, column labels in the header.
        case grid
        /// A listing that is read whole (DESCRIBE): never cut short on a terminal.
        case listing
        /// Hot-spot findings, ranked: see `FindingsLayout`.
        case findings(FindingsLayout)
        /// Cohort retention in long form (a row per cohort and month since start), shown as a
        /// triangle: see `CohortLayout`.
        case cohorts(CohortLayout)
        /// COMPARE: the dimension columns first, then per measure a group of columns
        /// (`m_before`, `m_after`, ...); people see a table per measure.
        case comparison(measures: [ComparisonGroup])
    }

    package init(columns: [ResultColumn], rows: [[ResultValue]], text: String? = nil, presentation: Presentation = .table,
                 details: [ResultDetail] = []) {
        self.columns = columns
        self.rows = rows
        self.text = text
        self.presentation = presentation
        self.details = details
    }

    package static func message(_ text: String) -> QueryResult {
        QueryResult(columns: [], rows: [], text: text)
    }
}

/// Where the parts of a finding are among a result's columns. A finding's cell is both one text
/// (`cell`: `channel = reseller, country = US`) and one column per searched dimension holding the
/// member the cell fixes, `.subtotal` where it fixes none, for programs; `reading` says it all in
/// one sentence, for people.
package struct FindingsLayout: Sendable, Equatable {
    package var cellColumn: Int
    package var conditionColumns: Range<Int>
    /// The column the bars draw (impact).
    package var barColumn: Int
    package var readingColumn: Int

    package init(cellColumn: Int, conditionColumns: Range<Int>, barColumn: Int, readingColumn: Int) {
        self.cellColumn = cellColumn
        self.conditionColumns = conditionColumns
        self.barColumn = barColumn
        self.readingColumn = readingColumn
    }
}

/// Where a COHORT result's parts are: column 0 the cohort, then the split member if any, then
/// months since start, accounts at start and the value.
package struct CohortLayout: Sendable, Equatable {
    package var splitColumn: Int?
    /// The last month since start asked for: the triangle's width.
    package var months: Int

    package init(splitColumn: Int?, months: Int) {
        self.splitColumn = splitColumn
        self.months = months
    }

    package var monthsColumn: Int { (splitColumn ?? 0) + 1 }
    package var accountsColumn: Int { monthsColumn + 1 }
    package var valueColumn: Int { monthsColumn + 2 }
}

/// One measure's columns in a COMPARE result, and the short name of each for people.
package struct ComparisonGroup: Sendable, Equatable {
    package var measure: String
    package var columns: Range<Int>
    package var shortNames: [String]

    package init(measure: String, columns: Range<Int>, shortNames: [String]) {
        self.measure = measure
        self.columns = columns
        self.shortNames = shortNames
    }
}

/// A named figure about a whole result.
package struct ResultDetail: Sendable, Equatable {
    package var name: String
    package var value: ResultValue

    package init(name: String, value: ResultValue) {
        self.name = name
        self.value = value
    }
}

/// One output column: its header, whether it is a grouping attribute or a measure, and how to show it.
package struct ResultColumn: Sendable, Equatable {
    package enum Role: Sendable, Equatable { case dimension, measure }

    package enum Format: String, Sendable, Equatable {
        case text
        case integer
        /// A count of rows or accounts: integer with thousands separators.
        case count
        /// A ratio shown as a percentage (0.0171 -> 1.71%).
        case percent
        /// Currency amount with two decimals and thousands separators.
        case money
        case number
        /// A difference of two ratios shown in percentage points (0.0122 -> +1.22 points).
        case points
        /// A p- or q-value: `< 0.001`, else three decimals.
        case significance
    }

    package var name: String
    package var role: Role
    package var format: Format
    /// What the values count, when the name does not say it ("churned accounts", "MRR"): people
    /// see it in the header.
    package var unit: String?

    package init(name: String, role: Role, format: Format, unit: String? = nil) {
        self.name = name
        self.role = role
        self.format = format
        self.unit = unit
    }
}

/// A value in a result. `.subtotal` marks a grouping column rolled up by ROLLUP/CUBE/GROUPING
/// SETS, so it is never confused with a real NULL member.
package enum ResultValue: Sendable, Equatable, Hashable {
    case null
    case subtotal
    case integer(Int64)
    /// Fixed-point: `units` times 10^-scale (money in cents has scale 2).
    case decimal(units: Int64, scale: Int)
    case double(Double)
    case text(String)
    case boolean(Bool)

    /// An exact number of units of 10^-scale: an integer at scale 0, a decimal otherwise.
    package static func exact(units: Int64, scale: Int) -> ResultValue {
        scale == 0 ? .integer(units) : .decimal(units: units, scale: scale)
    }

    /// The numeric value as a Double, nil for non-numbers.
    package var doubleValue: Double? {
        switch self {
        case let .integer(value): return Double(value)
        case let .decimal(units, scale): return Double(units) / pow10(scale)
        case let .double(value): return value
        default: return nil
        }
    }

    package var isNull: Bool { self == .null || self == .subtotal }

    /// An integer or decimal as units of 10^-scale; nil for other values.
    package var exactUnits: (units: Int64, scale: Int)? {
        switch self {
        case let .integer(value): return (value, 0)
        case let .decimal(units, scale): return (units, scale)
        default: return nil
        }
    }

    // MARK: - Equality

    /// Text is equal by its bytes, as dimension members are: canonically equivalent spellings
    /// stay apart (PIVOT's labels, cells keyed by member).
    package static func == (lhs: ResultValue, rhs: ResultValue) -> Bool {
        switch (lhs, rhs) {
        case (.null, .null), (.subtotal, .subtotal): return true
        case let (.integer(a), .integer(b)): return a == b
        case let (.decimal(a, scaleA), .decimal(b, scaleB)): return a == b && scaleA == scaleB
        case let (.double(a), .double(b)): return a == b
        case let (.text(a), .text(b)): return ByteString(a) == ByteString(b)
        case let (.boolean(a), .boolean(b)): return a == b
        default: return false
        }
    }

    package func hash(into hasher: inout Hasher) {
        switch self {
        case .null: hasher.combine(0)
        case .subtotal: hasher.combine(1)
        case let .integer(value): hasher.combine(2); hasher.combine(value)
        case let .decimal(units, scale): hasher.combine(3); hasher.combine(units); hasher.combine(scale)
        case let .double(value): hasher.combine(4); hasher.combine(value)
        case let .text(text): hasher.combine(5); hasher.combine(ByteString(text))
        case let .boolean(flag): hasher.combine(6); hasher.combine(flag)
        }
    }
}

/// 10^exponent as a Double, exact for the small exponents decimals use.
package func pow10(_ exponent: Int) -> Double {
    var result = 1.0
    for _ in 0..<exponent { result *= 10 }
    return result
}
