import ChurnQuery

/// A hot-spot search's findings as a result table, for people and programs alike.
///
/// Columns: `cell` (the conditions as text), one column per searched dimension (the member the
/// cell fixes, a rolled-up `.subtotal` where it fixes none), `support` exactly as summed (a count
/// of rows, or an amount such as MRR), `value`, `baseline`, `versus`, `lift`, `impact` rounded to
/// hundredths of its unit, `q` as a number, and `reading`. The caption counts the cells; the
/// counts are details of the result too.
struct HotspotResultTable {
    let input: HotspotInput
    let parts: RatioParts
    let measureFormat: ResultColumn.Format

    func result(of search: HotspotResult) -> QueryResult {
        let dimensions = input.dimensions
        let supportFormat = Self.format(of: parts.denominator.valueType)
        var columns = [ResultColumn(name: "cell", role: .dimension, format: .text)]
        columns += dimensions.map { ResultColumn(name: $0.name, role: .dimension, format: .text) }
        columns += [
            ResultColumn(name: "support", role: .measure, format: supportFormat),
            ResultColumn(name: "value", role: .measure, format: measureFormat),
            ResultColumn(name: "baseline", role: .measure, format: measureFormat),
            ResultColumn(name: "versus", role: .dimension, format: .text),
            ResultColumn(name: "lift", role: .measure, format: .percent),
            ResultColumn(name: "impact", role: .measure, format: input.measure.impactIsMoney ? .money : .number, unit: input.measure.impactUnit),
            ResultColumn(name: "q", role: .measure, format: .significance),
            ResultColumn(name: "reading", role: .dimension, format: .text),
        ]
        let rows: [[ResultValue]] = search.findings.map { finding in
            var members = [ResultValue](repeating: .subtotal, count: dimensions.count)
            for condition in finding.conditions {
                members[condition.dimension] = input.label(of: condition).map(ResultValue.text) ?? .null
            }
            return [.text(finding.conditionText)] + members + [
                Self.exact(finding.support, type: parts.denominator.valueType), .double(finding.value), .double(finding.baseline),
                .text(finding.baselineLabel), finding.lift.map(ResultValue.double) ?? .null,
                Self.hundredths(finding.impact), .double(finding.qValue), .text(finding.reading),
            ]
        }
        let statistics = search.statistics
        let layout = FindingsLayout(cellColumn: 0, conditionColumns: 1..<(1 + dimensions.count),
                                    barColumn: columns.count - 3, readingColumn: columns.count - 1)
        let details = [
            ResultDetail(name: "reported", value: .integer(Int64(search.findings.count))),
            ResultDetail(name: "significant", value: .integer(Int64(statistics.qualified))),
            ResultDetail(name: "tested", value: .integer(Int64(statistics.tested))),
        ]
        return QueryResult(columns: columns, rows: rows, text: Self.summary(search, slice: input.slice), presentation: .findings(layout),
                           details: details)
    }

    /// `9 of 12 significant cells (5,436 tested)`, or that none departs; `where …` for a slice.
    static func summary(_ search: HotspotResult, slice: String?) -> String {
        let statistics = search.statistics
        let tested = "\(ReadingFormat.count(Double(statistics.tested))) tested"
        let within = slice.map { " where \($0)" } ?? ""
        guard !search.findings.isEmpty else {
            return "no cell departs significantly from its baseline (\(ReadingFormat.count(Double(statistics.tested))) "
                + (statistics.tested == 1 ? "cell tested)" : "cells tested)") + within
        }
        let cells = statistics.qualified == 1 ? "significant cell" : "significant cells"
        return "\(ReadingFormat.count(Double(search.findings.count))) of \(ReadingFormat.count(Double(statistics.qualified))) \(cells) (\(tested))" + within
    }

    /// Impact rounded to hundredths of its unit (accounts, MRR).
    static func hundredths(_ value: Double) -> ResultValue {
        guard value.isFinite, abs(value) < 9e15 else { return .double(value) }
        return .decimal(units: Int64((value * 100).rounded()), scale: 2)
    }

    /// How a sum of this type shows: a count, money, or a plain number.
    static func format(of type: RowValueType) -> ResultColumn.Format {
        switch type {
        case .exact(scale: 0): return .count
        case .exact(scale: 2): return .money
        default: return .number
        }
    }

    /// A sum exactly as the scan added it: the moments hold it in floating point, exact for
    /// integers and cents below 2^53.
    static func exact(_ sum: Double, type: RowValueType) -> ResultValue {
        guard sum.isFinite, abs(sum) < 9e15 else { return .double(sum) }
        switch type {
        case .exact(scale: 0): return .integer(Int64(sum.rounded()))
        case let .exact(scale): return .decimal(units: Int64((sum * pow10(scale)).rounded()), scale: scale)
        case .double: return .double(sum)
        }
    }
}
