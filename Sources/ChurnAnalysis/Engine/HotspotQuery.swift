import ChurnModel
import ChurnQuery
import ChurnSyntax

/// Runs a HOTSPOTS statement: one scan of the cube grouped by the searched dimensions collects
/// the measure's moments per cell; the search derives every cuboid from them, tests and ranks.
package enum HotspotQuery {
    /// Dimensions `BY *` searches: stored dimensions with at most this many values (not months).
    static let maximumCardinalityForAll = 64

    package static func run(_ statement: HotspotsStatement, engine: QueryEngine, cancellation: Cancellation, explain: Bool) throws -> QueryResult {
        let catalog = engine.catalog
        let parts = try engine.ratioParts(of: statement.measure)
        let attributes = try searchedAttributes(statement.dimensions, statement: "HOTSPOTS", at: statement.range, catalog: catalog)
        let options = try hotspotOptions(statement)
        let flows = numeratorFlows(parts)
        let moments = try engine.moments(of: parts, by: attributes, filter: statement.filter, cubeName: statement.cube,
                                       sums: flows?.terms.map(\.expression) ?? [], cancellation: cancellation)
        let input = HotspotInput(
            dimensions: dimensions(attributes, definition: catalog.cube.definition),
            cells: moments.cells.map { cell in
                HotspotCell(key: cell.codes, moments: Moments(rows: cell.rows, x: cell.x, y: cell.y, clusters: cell.clusters,
                                                              xx: cell.xx, yy: cell.yy, xy: cell.xy,
                                                              rowXX: cell.rowXX, rowYY: cell.rowYY, rowXY: cell.rowXY))
            },
            measure: measure(statement.measure, parts: parts, catalog: catalog),
            slice: statement.filter.map { "\($0)" }, clusterParts: moments.clusterParts,
            rowSpread: moments.rowSpread,
            flows: flows.map { hotspotFlows($0, of: moments) })
        let result: HotspotResult
        do {
            result = try HotspotSearch(input: input, options: options, cancellation: cancellation).run()
        } catch let error as HotspotError {
            throw QueryError("\(error)", at: statement.range)
        }
        if explain {
            var lines = ["EXPLAIN \(Statement(.hotspots(statement)))"]
            lines.append("dimensions searched: \(attributes.map(\.name).joined(separator: ", "))")
            func count(_ value: Int, _ noun: String) -> String { "\(Thousands.grouped(value)) \(noun)\(value == 1 ? "" : "s")" }
            if let remote = moments.remote {
                lines.append("scan: on \(remote.location): "
                    + "\(Thousands.grouped(moments.rowsMatched)) rows matched, \(count(remote.resultRows, "group")) returned, "
                    + "\(count(moments.cells.count, "finest cell")), " + String(format: "%.1f ms", moments.milliseconds))
                lines.append("SQL sent:")
                for sql in remote.statements { lines += sql.split(separator: "\n").map { "  " + $0 } }
            } else {
                lines.append("scan: one pass grouped by \(attributes.count == 1 ? "the 1 dimension" : "all \(attributes.count) dimensions"), "
                    + "\(count(moments.rowsScanned, "row")) scanned, \(Thousands.grouped(moments.rowsMatched)) matched, "
                    + "\(Thousands.grouped(moments.rowGroupsSkipped)) of \(count(moments.rowGroups, "row group")) skipped by statistics, "
                    + "\(count(moments.cells.count, "finest cell")), " + String(format: "%.1f ms", moments.milliseconds))
            }
            lines.append("measure: Σ(\(parts.numerator)) / Σ(\(parts.denominator)), \(parts.isProportion ? "a proportion (two-proportion tests)" : "a ratio of sums (delta-method tests)")")
            if let clusters = moments.clusterStatistics {
                lines.append("variance: robust to accounts (clusters by \(clusters.attribute)), "
                    + (parts.isProportion ? "binomial times each cell's design effect" : "delta method over accounts")
                    + "; in the scan \(count(clusters.segments, "segment")) of one account and one cell, merged into "
                    + "\(count(clusters.accountCells, "account-cell")) of \(count(clusters.clusters, "account")), "
                    + String(format: "%.1f ms", clusters.milliseconds))
            } else {
                lines.append("variance: rows taken as independent (the cube has no account dimension of more than 64 values)")
            }
            lines.append("options: depth \(options.depth), minimum support \(options.minimumSupport), versus \(options.baseline.rawValue), "
                + "\(options.direction.rawValue), ranked by \(options.ranking.rawValue), limit \(options.limit), false discovery rate \(options.falseDiscoveryRate)")
            lines += result.statistics.explanation
            var explained = QueryResult.message(lines.joined(separator: "\n"))
            explained.warnings = moments.warnings
            return explained
        }
        var table = HotspotResultTable(input: input, parts: parts, measureFormat: resultFormat(parts.definition?.format)).result(of: result)
        table.warnings = moments.warnings
        if result.statistics.tested == 0, let largest = input.largestCell(), largest.support < options.minimumSupport {
            table.warnings.append(Diagnostic(
                "no cell reaches the minimum support of \(supportText(options.minimumSupport)); the largest, "
                    + "\(input.describe(largest.condition)), has \(supportText(largest.support))",
                range: statement.range, hint: "lower MIN SUPPORT, widen WHERE or search BY coarser dimensions", severity: .warning))
        }
        return table
    }

    /// The numerator as the denominator's multiple plus flows with coefficients, when it is a
    /// sum or difference of several terms (NRR: mrr_start − churned_mrr − downsell_mrr +
    /// upsell_mrr + crosssell_mrr); nil for a numerator of one term.
    static func numeratorFlows(_ parts: RatioParts) -> (denominatorCoefficient: Double,
                                                        terms: [(coefficient: Double, expression: RowExpression)])? {
        var terms: [(coefficient: Double, expression: RowExpression)] = []
        func collect(_ expression: RowExpression, _ sign: Double) {
            switch expression {
            case let .arithmetic(.add, left, right): collect(left, sign); collect(right, sign)
            case let .arithmetic(.subtract, left, right): collect(left, sign); collect(right, -sign)
            case let .negate(inner): collect(inner, -sign)
            // A column's own SUM skips its NULLs, as the term of the numerator does; SUM(a - b) stays one flow.
            case let .zeroIfNull(.column(index, name, type)): collect(.column(index, name: name, type: type), sign)
            default:
                if let index = terms.firstIndex(where: { $0.expression == expression }) {
                    terms[index].coefficient += sign
                } else {
                    terms.append((sign, expression))
                }
            }
        }
        collect(parts.numerator, 1)
        let denominatorCoefficient = terms.filter { $0.expression == parts.denominator }.reduce(0) { $0 + $1.coefficient }
        terms.removeAll { $0.expression == parts.denominator || $0.coefficient == 0 }
        guard terms.count >= 2 || (terms.count == 1 && denominatorCoefficient != 0) else { return nil }
        return (denominatorCoefficient, terms)
    }

    /// The flows of `numeratorFlows` with their sums per cell of `moments`, which were collected
    /// with `sums:` set to the flows' expressions, in order.
    static func hotspotFlows(_ flows: (denominatorCoefficient: Double, terms: [(coefficient: Double, expression: RowExpression)]),
                             of moments: MomentTable) -> HotspotFlows {
        HotspotFlows(denominatorCoefficient: flows.denominatorCoefficient, coefficients: flows.terms.map(\.coefficient),
                     names: flows.terms.map { "\($0.expression)" },
                     sums: moments.sums)
    }

    /// The dimensions `BY` names (a hierarchy stands for its levels), or those `BY *` takes.
    static func searchedAttributes(_ dimensions: HotspotsStatement.Dimensions, statement: String, at range: SourceRange,
                                   catalog: CubeCatalog) throws -> [GroupAttribute] {
        switch dimensions {
        case .all:
            let chosen = catalog.cube.definition.dimensions.compactMap { dimension -> GroupAttribute? in
                guard dimension.kind != .month, let attribute = catalog.attribute(named: dimension.name) else { return nil }
                let count = attribute.dictionary.cardinality
                return count >= 2 && count <= maximumCardinalityForAll ? attribute : nil
            }
            return chosen
        case let .list(names):
            var chosen: [GroupAttribute] = []
            var named: Set<String> = []
            for name in names {
                guard named.insert(name.normalized).inserted else {
                    throw QueryError("BY names '\(name.name)' twice; each dimension is searched once", at: name.range)
                }
                switch catalog.resolve(name.name) {
                case let .attribute(attribute)?:
                    if !chosen.contains(where: { $0 === attribute }) { chosen.append(attribute) }
                case let .hierarchy(hierarchy)?:
                    for level in hierarchy.levels {
                        if let attribute = catalog.attribute(named: level), !chosen.contains(where: { $0 === attribute }) { chosen.append(attribute) }
                    }
                case nil:
                    throw catalog.unknownName(name, expected: "dimension")
                default:
                    throw QueryError("'\(name.name)' is not a dimension; \(statement) searches BY dimensions", at: name.range)
                }
            }
            guard !chosen.isEmpty else { throw QueryError("\(statement) needs at least one dimension after BY", at: range) }
            return chosen
        }
    }

    /// Each searched dimension with its labels and its nearest hierarchy ancestor among those searched.
    static func dimensions(_ attributes: [GroupAttribute], definition: CubeDefinition) -> [HotspotDimension] {
        attributes.map { attribute in
            var parent: Int?
            for hierarchy in definition.hierarchies {
                guard let position = hierarchy.levels.firstIndex(where: { $0.lowercased() == attribute.name.lowercased() }) else { continue }
                for ancestor in hierarchy.levels[..<position].reversed() {
                    if let index = attributes.firstIndex(where: { $0.name.lowercased() == ancestor.lowercased() }) { parent = index; break }
                }
                if parent != nil { break }
            }
            let labels = (0..<attribute.dictionary.count).map { attribute.dictionary.value(of: UInt32($0)) }
            return HotspotDimension(name: attribute.name, labels: labels, hierarchyParent: parent)
        }
    }

    static func measure(_ expression: Expression, parts: RatioParts, catalog: CubeCatalog) -> HotspotMeasure {
        let definition = parts.definition
        let format: HotspotMeasure.Format
        switch definition?.format {
        case .money?: format = .money
        case .number?, .count?: format = .number
        default: format = .percent
        }
        let isMoney = parts.numerator.valueType == .exact(scale: 2)
        var isFlag = false
        if case let .column(_, name, _) = parts.numerator, case let .fact(_, fact)? = catalog.resolve(name) { isFlag = fact.kind == .flag }
        return HotspotMeasure(name: definition?.name ?? expression.description, kind: parts.isProportion ? .proportion : .ratioOfSums,
                              format: format, impactUnit: impactUnit(of: parts.numerator, isMoney: isMoney, isFlag: isFlag),
                              impactIsMoney: isMoney, higherIsWorse: !(definition?.higherIsBetter ?? false))
    }

    /// What the numerator counts, for impact: `churned accounts` (a flag), `churned MRR` (one
    /// money column `x_mrr`), `MRR` (money arithmetic, as NRR's), a column's name otherwise.
    static func impactUnit(of numerator: RowExpression, isMoney: Bool, isFlag: Bool) -> String {
        if case let .column(_, name, _) = numerator {
            if isFlag { return "\(name) accounts" }
            if isMoney && name.hasSuffix("_mrr") { return String(name.dropLast(4)) + " MRR" }
            return isMoney ? "\(name) (money)" : name
        }
        return isMoney ? "MRR" : "units of the numerator"
    }

    private static func hotspotOptions(_ statement: HotspotsStatement) throws -> HotspotOptions {
        var options = HotspotOptions()
        if let depth = statement.depth {
            guard (1...4).contains(depth) else { throw QueryError("DEPTH must be 1 to 4, not \(depth)", at: statement.range) }
            options.depth = depth
        }
        if let support = statement.minimumSupport {
            guard support >= 1 else { throw QueryError("MIN SUPPORT must be at least 1", at: statement.range) }
            options.minimumSupport = support
        }
        if let baseline = statement.baseline {
            options.baseline = HotspotBaseline(rawValue: baseline.rawValue.lowercased()) ?? .expected
        }
        if let direction = statement.direction {
            options.direction = HotspotDirection(rawValue: direction.rawValue.lowercased()) ?? .hot
        }
        if let ranking = statement.ranking {
            options.ranking = HotspotRanking(rawValue: ranking.rawValue.lowercased()) ?? .impact
        }
        if let limit = statement.limit {
            guard limit >= 1 else { throw QueryError("LIMIT must be at least 1", at: statement.range) }
            options.limit = limit
        }
        return options
    }

    /// A support as people read it: grouped digits, two decimals when it is not whole (MRR).
    private static func supportText(_ support: Double) -> String {
        guard support.rounded() != support || abs(support) >= 1e15 else { return Thousands.grouped(Int(support)) }
        let cents = (support * 100).rounded()
        let whole = Thousands.grouped(Int(cents / 100))
        return whole + "." + String(format: "%02d", Int(abs(cents).truncatingRemainder(dividingBy: 100)))
    }

    static func resultFormat(_ format: MeasureDefinition.Format?) -> ResultColumn.Format {
        switch format {
        case .money?: return .money
        case .number?: return .number
        case .count?: return .count
        default: return .percent
        }
    }
}
