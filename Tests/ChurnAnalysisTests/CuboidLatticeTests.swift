import Testing
@testable import ChurnAnalysis

/// The lattice's cuboids against sums taken directly over the input cells, whichever way each
/// was built (in a batch from the finest cells, one by one, or rolled up from a finer cuboid).
@Suite struct CuboidLatticeTests {
    /// Six dimensions of 3 to 8 codes (code 0 the NULL member), 3,000 cells with whole-number
    /// moments, so that every sum is exact whatever the order of its additions.
    static var input: HotspotInput {
        let cardinalities = [3, 5, 4, 8, 6, 7]
        let dimensions = cardinalities.enumerated().map { index, cardinality in
            HotspotDimension(name: "d\(index)", labels: [nil] + (1..<cardinality).map { "m\($0)" })
        }
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        func next(_ bound: Int) -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int((state >> 33) % UInt64(bound))
        }
        var seen: Set<[UInt32]> = []
        var cells: [HotspotCell] = []
        while cells.count < 3000 {
            let key = cardinalities.map { UInt32(next($0)) }
            guard seen.insert(key).inserted else { continue }
            let rows = Double(1 + next(50)), events = Double(next(Int(rows) + 1))
            cells.append(HotspotCell(key: key, moments: Moments(rows: rows, x: events, y: rows, xx: events * events,
                                                                 yy: rows * rows, xy: events * rows)))
        }
        return HotspotInput(dimensions: dimensions, cells: cells, measure: Fixtures.churn)
    }

    @Test(arguments: [1, 2, 3, 4])
    func everyCuboidHoldsTheSumsOfItsCells(depth: Int) throws {
        let input = Self.input
        let lattice = try CuboidLattice(input: input, depth: depth)
        var expectedCuboids = 0
        for k in 1...depth { expectedCuboids += (0..<k).reduce(1) { $0 * (6 - $1) / ($1 + 1) } }
        #expect(lattice.count == expectedCuboids)
        for cuboid in lattice.cuboids {
            var sums = [Moments](repeating: .zero, count: cuboid.cellCount)
            for cell in input.cells {
                let index = zip(cuboid.dimensions, cuboid.strides).reduce(0) { $0 + Int(cell.key[$1.0]) * $1.1 }
                sums[index] += cell.moments
            }
            #expect(cuboid.moments == sums, "cuboid over \(cuboid.dimensions)")
        }
        #expect(lattice.whole == input.cells.reduce(Moments.zero) { $0 + $1.moments })
    }
}
