import ChurnQuery

/// Expected numerators of a k-dimension cuboid from its (k−1)-dimension margins, as in
/// discovery-driven exploration of OLAP cubes (Sarawagi, Agrawal, Megiddo, EDBT 1998).
///
/// The model is log-linear in the numerator with the denominator as exposure: log μ = log y +
/// every effect of fewer than k dimensions. It is fitted by iterative proportional fitting on
/// the observed margins: start from μ = y · (Σx / Σy), then scale μ so that its sums over each
/// (k−1)-margin equal the observed Σx there, until no margin is off. Because the fit matches
/// observed margins, correlated dimensions (plan follows segment) do not produce false
/// interactions: only what the lower-order effects cannot explain is left over.
struct ExpectedRateFitter: Sendable {
    /// Largest margin mismatch accepted, relative to the total numerator.
    var tolerance = 1e-8
    var maximumIterations = 200

    /// The fitted μ for each cell of `cuboid`, and the passes it took. `margins[p]` is the
    /// cuboid without the dimension at position p. At depth 1 this is y · global rate. Checks for
    /// cancellation before each margin's pass.
    /// The cuboid's own numerators are read for their total only; `numeratorTotal` gives it
    /// instead (Σ|x| over the cuboid).
    func fit(_ cuboid: Cuboid, margins: [Cuboid], globalRate: Double, numeratorTotal: Double? = nil,
             cancellation: Cancellation = .never) throws -> (expected: [Double], iterations: Int) {
        var expected = cuboid.moments.map { $0.y * globalRate }
        guard cuboid.depth > 1 else { return (expected, 0) }
        precondition(margins.count == cuboid.depth, "one margin per dimension of the cuboid")

        let parentIndices = (0..<cuboid.depth).map { position in
            (0..<cuboid.cellCount).map { Int32(cuboid.parentIndex(of: $0, droppingPosition: position)) }
        }
        let totalNumerator = numeratorTotal ?? cuboid.moments.reduce(0) { $0 + abs($1.x) }
        let allowed = max(tolerance * totalNumerator, 1e-300)

        var iterations = 0
        var converged = false
        while !converged && iterations < maximumIterations {
            iterations += 1
            converged = true
            for position in 0..<cuboid.depth {
                try cancellation.check()
                let margin = margins[position]
                var sums = [Double](repeating: 0, count: margin.cellCount)
                parentIndices[position].withUnsafeBufferPointer { parents in
                    for index in 0..<expected.count { sums[Int(parents[index])] += expected[index] }
                }
                var factors = [Double](repeating: 1, count: margin.cellCount)
                for cell in 0..<margin.cellCount {
                    let observed = margin.moments[cell].x
                    if abs(sums[cell] - observed) > allowed { converged = false }
                    if sums[cell] > 0 { factors[cell] = observed / sums[cell] }
                }
                parentIndices[position].withUnsafeBufferPointer { parents in
                    for index in 0..<expected.count { expected[index] *= factors[Int(parents[index])] }
                }
            }
        }
        return (expected, iterations)
    }
}

extension ExpectedRateFitter {
    /// The expected numerators of `lattice.cuboids[index]` for a numerator of flows: each flow
    /// fitted on its own (`FlowLattice`, whose cuboids are those of `lattice`, in the same
    /// order), added up with its coefficient, beside the denominator's own term. A flow that
    /// never occurs in the slice expects nothing.
    func fit(cuboidAt index: Int, of lattice: CuboidLattice, flows: HotspotFlows, flowLattice: FlowLattice,
             cancellation: Cancellation = .never) throws -> (expected: [Double], iterations: Int) {
        let shape = lattice.cuboids[index]
        var combined = shape.moments.map { flows.denominatorCoefficient * $0.y }
        var iterations = 0
        // The flows' lattice holds the margins (its cuboids are the main lattice's, in the same
        // order, one depth short); the cells' denominators are the main lattice's. Flows are
        // never negative, so the cuboid's Σ|x| is the flow's total.
        let marginIndices = (0..<shape.depth).compactMap { flowLattice.lattice.parent(of: shape, droppingPosition: $0) }
        for flow in 0..<flowLattice.flowCount where flowLattice.total(of: flow) > 0 {
            let fit = try fit(shape, margins: marginIndices.map { flowLattice.cuboid($0, flow: flow) },
                              globalRate: flowLattice.total(of: flow) / flowLattice.lattice.whole.y,
                              numeratorTotal: flowLattice.total(of: flow), cancellation: cancellation)
            iterations += fit.iterations
            for cell in combined.indices { combined[cell] += flows.coefficients[flow] * fit.expected[cell] }
        }
        return (combined, iterations)
    }
}
