import ChurnModel
import ChurnQuery
import ChurnSyntax
import Foundation

/// TREND measure BY dimension [LAST n MONTHS]: a ratio measure month by month for the slice and
/// for each member, from one scan grouped by the member and the month.
///
/// Each series gets its latest value, its change over the window, and a least-squares slope per
/// month weighted by each month's support (the denominator), with a 95% interval from the
/// residual scatter (Student's t with k − 2 degrees of freedom). A member is flagged when its
/// slope differs from the slice's beyond chance, Benjamini–Hochberg over the members.
enum TrendQuery {
    /// Members shown at most; those with the most support are kept.
    static let maximumMembers = 50
    static let falseDiscoveryRate = 0.05
    static let sparks: [Character] = ["▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"]

    static func run(_ statement: TrendStatement, engine: QueryEngine, cancellation: Cancellation) throws -> QueryResult {
        let catalog = engine.catalog
        guard let axis = TimeAxis(catalog: catalog) else {
            throw QueryError("TREND follows a measure month by month; cube '\(engine.cube.name)' has no dimension of months", at: statement.range)
        }
        let parts = try engine.ratioParts(of: statement.measure, for: "TREND")
        guard let by = catalog.attribute(named: statement.by.name) else { throw catalog.unknownName(statement.by, expected: "dimension") }
        if by.column == axis.month.column {
            throw QueryError("TREND runs along the months already; BY takes a dimension to draw a line for each member", at: statement.by.range)
        }
        if let months = statement.lastMonths, months < 3 {
            throw QueryError("LAST \(months) MONTHS is too short for a slope; at least 3", at: statement.range)
        }
        let moments = try engine.moments(of: parts, by: [by, axis.month], filter: statement.filter, cubeName: statement.cube, robust: false,
                                         cancellation: cancellation)
        let months = moments.cells.compactMap { axis.monthIndex[Int($0.codes[1])] }
        guard let lastMonth = months.max(), let dataFirst = months.min() else {
            var empty = QueryResult(columns: [], rows: [])
            empty.text = "no rows with a month in the slice"
            return empty
        }
        let firstMonth = max(dataFirst, lastMonth - (statement.lastMonths ?? (lastMonth - dataFirst + 1)) + 1)
        let width = lastMonth - firstMonth + 1
        var series: [UInt32: [Moments]] = [:]
        var slice = [Moments](repeating: .zero, count: width)
        for cell in moments.cells {
            guard let month = axis.monthIndex[Int(cell.codes[1])], month >= firstMonth else { continue }
            let value = Moments(rows: cell.rows, x: cell.x, y: cell.y, xx: cell.xx, yy: cell.yy, xy: cell.xy)
            series[cell.codes[0], default: [Moments](repeating: .zero, count: width)][month - firstMonth] += value
            slice[month - firstMonth] += value
        }
        var members = series.keys.sorted { lhs, rhs in
            let (a, b) = (series[lhs]!.reduce(0) { $0 + $1.y }, series[rhs]!.reduce(0) { $0 + $1.y })
            return a != b ? a > b : lhs < rhs
        }
        let memberCount = members.count
        members = Array(members.prefix(maximumMembers))
        members.sort(by: by.precedes)

        let sliceSlope = slope(of: slice)
        let pValues: [Double?] = members.map { member in
            guard let own = slope(of: series[member]!), let whole = sliceSlope else { return nil }
            let variance = own.standardError * own.standardError + whole.standardError * whole.standardError
            guard variance > 0 else { return nil }
            return NormalDistribution.twoSidedPValue((own.value - whole.value) / variance.squareRoot())
        }
        var adjusted = BenjaminiHochberg.qValues(pValues.compactMap { $0 }).makeIterator()
        let qValues = pValues.map { $0 == nil ? nil : adjusted.next() }

        let format = HotspotQuery.resultFormat(parts.definition?.format)
        let changeFormat: ResultColumn.Format = format == .percent ? .points : format
        let columns = [
            ResultColumn(name: by.name, role: .dimension, format: .text),
            ResultColumn(name: "trend", role: .dimension, format: .text),
            ResultColumn(name: "latest", role: .measure, format: format),
            ResultColumn(name: "change", role: .measure, format: changeFormat),
            ResultColumn(name: "slope", role: .measure, format: changeFormat, unit: "per month"),
            ResultColumn(name: "slope_low", role: .measure, format: changeFormat),
            ResultColumn(name: "slope_high", role: .measure, format: changeFormat),
            ResultColumn(name: "support", role: .measure, format: HotspotResultTable.format(of: parts.denominator.valueType)),
            ResultColumn(name: "q", role: .measure, format: .significance),
            ResultColumn(name: "flag", role: .dimension, format: .text),
        ]
        func row(_ label: ResultValue, _ values: [Moments], q: Double?, slope estimate: TrendSlope?) -> [ResultValue] {
            let rates = values.map(\.ratio)
            let defined = rates.compactMap { $0 }
            let interval = estimate.map { estimate -> (Double, Double) in
                let spread = studentQuantile(0.975, degreesOfFreedom: estimate.degreesOfFreedom) * estimate.standardError
                return (estimate.value - spread, estimate.value + spread)
            }
            var flag = ""
            if let q, q <= falseDiscoveryRate, let own = estimate?.value, let whole = sliceSlope?.value {
                flag = own > whole ? "rising against the slice" : "falling against the slice"
            }
            let support = values.reduce(0) { $0 + $1.y }
            return [label, .text(sparkline(rates)), rates.last.flatMap { $0 }.map(ResultValue.double) ?? .null,
                    defined.count >= 2 ? .double(defined.last! - defined.first!) : .null,
                    estimate.map { .double($0.value) } ?? .null, interval.map { .double($0.0) } ?? .null, interval.map { .double($0.1) } ?? .null,
                    HotspotResultTable.exact(support, type: parts.denominator.valueType), q.map(ResultValue.double) ?? .null, .text(flag)]
        }
        var rows = [row(.subtotal, slice, q: nil, slope: sliceSlope)]
        for (index, member) in members.enumerated() {
            rows.append(row(by.dictionary.value(of: member).map(ResultValue.text) ?? .null, series[member]!, q: qValues[index],
                            slope: slope(of: series[member]!)))
        }
        let name = parts.definition?.name ?? "\(statement.measure)"
        var caption = "\(name) by month, \(TimeAxis.label(of: firstMonth)) to \(TimeAxis.label(of: lastMonth)), for each \(by.name)"
        caption += "; slope per month weighted by support, 95% interval; flag: slope unlike the slice's (q ≤ \(falseDiscoveryRate))"
        if memberCount > members.count {
            caption += "; \(members.count) of \(Thousands.grouped(memberCount)) members shown, those with the most support"
        }
        var result = QueryResult(columns: columns, rows: rows, text: caption)
        result.warnings = moments.warnings
        return result
    }

    static func slope(of values: [Moments]) -> TrendSlope? { TrendSlope.fit(values) }
}

/// A series' slope per month: weighted least squares of the rate on the month, the weights the
/// months' denominators, with the standard error from the weighted residual scatter.
package struct TrendSlope: Sendable {
    package var value: Double
    package var standardError: Double
    package var degreesOfFreedom: Int

    /// The slope of the rates of consecutive months; nil with fewer than three months that have
    /// a denominator.
    package static func fit(_ values: [Moments]) -> TrendSlope? {
        let points = values.enumerated().compactMap { index, moments -> (t: Double, r: Double, w: Double)? in
            guard let rate = moments.ratio, moments.y > 0 else { return nil }
            return (Double(index), rate, moments.y)
        }
        guard points.count >= 3 else { return nil }
        let weight = points.reduce(0) { $0 + $1.w }
        let meanT = points.reduce(0) { $0 + $1.w * $1.t } / weight
        let meanR = points.reduce(0) { $0 + $1.w * $1.r } / weight
        let sxx = points.reduce(0) { $0 + $1.w * ($1.t - meanT) * ($1.t - meanT) }
        let sxy = points.reduce(0) { $0 + $1.w * ($1.t - meanT) * ($1.r - meanR) }
        guard sxx > 0 else { return nil }
        let b = sxy / sxx
        let residual = points.reduce(0) { total, point in
            let error = point.r - (meanR + b * (point.t - meanT))
            return total + point.w * error * error
        }
        let scale = residual / Double(points.count - 2)
        return TrendSlope(value: b, standardError: (max(0, scale) / sxx).squareRoot(), degreesOfFreedom: points.count - 2)
    }
}

extension TrendQuery {

    /// The p-quantile of Student's t (Cornish–Fisher expansion around the normal quantile).
    static func studentQuantile(_ p: Double, degreesOfFreedom df: Int) -> Double {
        let z = NormalDistribution.quantile(p)
        let n = Double(max(1, df))
        let z3 = z * z * z, z5 = z3 * z * z, z7 = z5 * z * z
        return z + (z3 + z) / (4 * n) + (5 * z5 + 16 * z3 + 3 * z) / (96 * n * n)
            + (3 * z7 + 19 * z5 + 17 * z3 - 15 * z) / (384 * n * n * n)
    }

    /// One block character per month, scaled from the series' lowest to its highest value; a
    /// month without a value is a space.
    static func sparkline(_ rates: [Double?]) -> String {
        let defined = rates.compactMap { $0 }
        guard let low = defined.min(), let high = defined.max() else { return String(repeating: " ", count: rates.count) }
        return String(rates.map { rate -> Character in
            guard let rate else { return " " }
            let level = high > low ? (rate - low) / (high - low) : 0.5
            return sparks[min(sparks.count - 1, Int(level * Double(sparks.count)))]
        })
    }
}
