import ChurnQuery
import ChurnSyntax

/// DRILL of a rate with the baseline that made its cell hot: beside each step, the value HOTSPOTS
/// (VERSUS expected) judges that step's cell against. At one condition it is the slice's
/// average; at two or more, what the lower-order effects of the conditions so far predict (the
/// log-linear fit of the cell's margins), so an analyst sees that US resellers churn at 3.13%
/// where country and channel alone predict 2.44%.
///
/// The engine answers the steps themselves from one ROLLUP scan; the expectations come from one
/// more scan grouped by the path's dimensions, collecting the rate's moments per cell. A measure
/// that is not a ratio of sums (accounts, mrr) keeps the engine's answer as it is.
enum DrillBaselines {
    /// Paths longer than this get no expectations: the fit visits every subset of the path.
    static let maximumDepth = 8

    static func adding(to result: QueryResult, for drill: DrillStatement, engine: QueryEngine,
                       cancellation: Cancellation) throws -> QueryResult {
        guard let parts = try? engine.ratioParts(of: drill.measure), result.columns.count == 4,
              result.rows.count == drill.path.count + 1 else { return result }
        let catalog = engine.catalog
        let attributes = drill.path.compactMap { catalog.attribute(named: $0.dimension.name) }
        guard attributes.count == drill.path.count else { return result }
        // Expected rates need no variances.
        let flows = HotspotQuery.numeratorFlows(parts)
        let moments = try engine.moments(of: parts, by: attributes, filter: drill.filter, cubeName: drill.cube, robust: false,
                                         sums: flows?.terms.map(\.expression) ?? [], cancellation: cancellation)
        let expected = try expectedRates(moments: moments, path: drill.path,
                                         flows: flows.map { HotspotQuery.hotspotFlows($0, of: moments) }, cancellation: cancellation)

        var extended = result
        extended.columns.append(ResultColumn(name: "expected", role: .measure, format: result.columns[1].format))
        for (step, rate) in expected.enumerated() {
            extended.rows[step].append(rate.map(ResultValue.double) ?? .null)
        }
        extended.text = "expected: the baseline HOTSPOTS judges each step against"
        return extended
    }

    /// The expected rate of each step's cell; nil for the whole slice, and where the cell is
    /// empty or the path is too deep.
    /// A numerator of `flows` is fitted flow by flow, as HOTSPOTS fits it.
    static func expectedRates(moments table: MomentTable, path: [DrillStatement.Step], flows: HotspotFlows? = nil,
                              cancellation: Cancellation = .never) throws -> [Double?] {
        var rates = [Double?](repeating: nil, count: path.count + 1)
        let dimensions = table.attributes.map { attribute in
            HotspotDimension(name: attribute.name, labels: (0..<attribute.dictionary.count).map { attribute.dictionary.value(of: UInt32($0)) })
        }
        let cells = table.cells.map { cell in
            HotspotCell(key: cell.codes, moments: Moments(rows: cell.rows, x: cell.x, y: cell.y, xx: cell.xx, yy: cell.yy, xy: cell.xy))
        }
        let input = HotspotInput(dimensions: dimensions, cells: cells,
                                 measure: HotspotMeasure(name: "drill", kind: .ratioOfSums, impactUnit: ""))
        guard !path.isEmpty, path.count <= maximumDepth,
              let lattice = try? CuboidLattice(input: input, depth: path.count),
              let globalRate = lattice.whole.ratio else { return rates }
        rates[1] = globalRate
        let codes = zip(path, table.attributes).map { step, attribute in attribute.dictionary.code(of: step.memberText) }
        let fitter = ExpectedRateFitter()
        let flowLattice = try flows.flatMap {
            try FlowLattice(input: input, flows: $0, finest: lattice.finest, depth: path.count, cancellation: cancellation)
        }
        for depth in 2..<(path.count + 1) {
            guard codes.prefix(depth).allSatisfy({ $0 != nil }),
                  let index = lattice.index(ofMask: (UInt64(1) << UInt64(depth)) - 1) else { break }
            let cuboid = lattice.cuboids[index]
            let margins = (0..<depth).compactMap { lattice.parent(of: cuboid, droppingPosition: $0) }.map { lattice.cuboids[$0] }
            guard margins.count == depth else { break }
            let cell = (0..<depth).reduce(0) { $0 + Int(codes[$1]!) * cuboid.strides[$1] }
            let support = cuboid.moments[cell].y
            guard support > 0 else { continue }
            if let flows, let flowLattice {
                rates[depth] = try fitter.fit(cuboidAt: index, of: lattice, flows: flows, flowLattice: flowLattice,
                                              cancellation: cancellation).expected[cell] / support
            } else {
                rates[depth] = try fitter.fit(cuboid, margins: margins, globalRate: globalRate, cancellation: cancellation).expected[cell] / support
            }
        }
        return rates
    }
}
