import ChurnQuery

/// A numerator's flows (`HotspotFlows`) over every cuboid of a search, in one lattice: each flow
/// rides in one of the additive fields of the moments, which aggregation adds like any other,
/// so the flows cost one aggregation instead of one per flow. A flow's fit then reads that field
/// as the numerator.
struct FlowLattice: Sendable {
    /// The fields the flows ride in, in order; more flows than these are not fitted one by one.
    static let slots: [WritableKeyPath<Moments, Double> & Sendable] = [\.x, \.xx, \.yy, \.xy, \.rowXX, \.rowYY, \.rowXY]

    let lattice: CuboidLattice
    let flowCount: Int

    /// Nil with more flows than slots, or a flow negative in some cell (proportional fitting
    /// needs sums of one sign). `finest` is the input's cells already flattened (the main
    /// lattice's), whose codes the flows' cells share. The cuboids go one depth short of the
    /// search's: a fit needs each flow in a cuboid's margins only, the cuboid's own cells
    /// coming from the main lattice (`ExpectedRateFitter.fit(cuboidAt:...)`), and the deepest
    /// level holds most of the cells.
    init?(input: HotspotInput, flows: HotspotFlows, finest: FinestCells, depth: Int, cancellation: Cancellation = .never) throws {
        guard flows.sums.count <= Self.slots.count, finest.moments.count == input.cells.count,
              flows.sums.allSatisfy({ $0.count == input.cells.count && $0.allSatisfy { $0 >= 0 } }) else { return nil }
        let moments = input.cells.indices.map { index in
            var moments = Moments(rows: input.cells[index].moments.rows, y: input.cells[index].moments.y)
            for flow in flows.sums.indices { moments[keyPath: Self.slots[flow]] = flows.sums[flow][index] }
            return moments
        }
        lattice = try CuboidLattice(finest: finest.replacingMoments(moments), dimensions: input.dimensions, clusterParts: nil,
                                    depth: max(1, depth - 1), cancellation: cancellation)
        flowCount = flows.sums.count
    }

    /// The flow's Σ over the whole slice.
    func total(of flow: Int) -> Double { lattice.whole[keyPath: Self.slots[flow]] }

    /// The cuboid with the flow as its numerator; `index` is the same in the main lattice.
    func cuboid(_ index: Int, flow: Int) -> Cuboid {
        var cuboid = lattice.cuboids[index]
        if flow > 0 { cuboid.moments = cuboid.moments.map { Self.numerator(flow, of: $0) } }
        return cuboid
    }

    /// The flow's sum in each finest cell.
    func numerators(flow: Int) -> [Double] {
        lattice.finest.moments.map { $0[keyPath: Self.slots[flow]] }
    }

    private static func numerator(_ flow: Int, of moments: Moments) -> Moments {
        Moments(rows: moments.rows, x: moments[keyPath: slots[flow]], y: moments.y)
    }
}
