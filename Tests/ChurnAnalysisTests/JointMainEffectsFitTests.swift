import Testing
@testable import ChurnAnalysis

/// Several numerators (a numerator's flows) fitted together over the same finest cells: each
/// gives the fit it gives on its own, however many passes it needs.
@Suite struct JointMainEffectsFitTests {
    /// Three dimensions with a hierarchy (campaign within channel), 4 × 3 × 6 cells with uneven
    /// exposures, and numerators of different shapes: one near the margins' model, one with a
    /// strong interaction (more passes), one with a member without events.
    static func cells() -> (FinestCells, [HotspotDimension], [[UInt32]?], [[Double]]) {
        let channel = HotspotDimension(name: "channel", labels: [nil, "online", "reseller"])
        let campaign = HotspotDimension(name: "campaign", labels: [nil, "search", "social", "var", "distributor", "other"],
                                        hierarchyParent: 0)
        let segment = HotspotDimension(name: "segment", labels: [nil, "smb", "mid", "enterprise"])
        let dimensions = [channel, campaign, segment]
        let campaignChannel: [UInt32] = [0, 1, 1, 2, 2, 1]
        var cells: [HotspotCell] = []
        var flows: [[Double]] = [[], [], []]
        for campaignCode in 1...5 {
            for segmentCode in 1...3 {
                let y = Double(100 + (campaignCode * 37 + segmentCode * 11) % 90) * 10
                cells.append(HotspotCell(key: [campaignChannel[campaignCode], UInt32(campaignCode), UInt32(segmentCode)],
                                         moments: Moments(rows: y, x: 0, y: y)))
                flows[0].append(y * 0.02 * (1 + 0.1 * Double(segmentCode)) * (1 + 0.05 * Double(campaignCode)))
                flows[1].append(y * (campaignCode == 3 && segmentCode == 1 ? 0.2 : 0.01 * Double(segmentCode)))
                flows[2].append(segmentCode == 2 ? 0 : y * 0.005 * Double(campaignCode))
            }
        }
        let input = HotspotInput(dimensions: dimensions, cells: cells, measure: Fixtures.churn)
        let lattice = try! CuboidLattice(input: input, depth: 1)
        return (lattice.finest, dimensions, lattice.rollUpCodes, flows)
    }

    @Test func eachNumeratorFitsAsItDoesAlone() throws {
        let (finest, dimensions, rollUpCodes, flows) = Self.cells()
        let fitter = MainEffectsFitter()
        let joint = try fitter.fit(numerators: flows + [flows[0].map { -$0 }], over: finest, dimensions: dimensions,
                                   rollUpCodes: rollUpCodes)
        #expect(joint.count == 4)
        // A numerator below zero somewhere is not fitted, and leaves the others as they are.
        #expect(joint[3] == nil)
        var passes: Set<Int> = []
        for (flow, numerator) in flows.enumerated() {
            let alone = try #require(try fitter.fit(numerators: [numerator], over: finest, dimensions: dimensions,
                                                    rollUpCodes: rollUpCodes)[0])
            let together = try #require(joint[flow])
            passes.insert(alone.iterations)
            #expect(together.iterations == alone.iterations, "flow \(flow)")
            for dimension in dimensions.indices {
                for code in alone.expected[dimension].indices {
                    let (a, b) = (alone.expected[dimension][code], together.expected[dimension][code])
                    #expect(abs(a - b) <= 1e-9 * max(1, abs(a)), "flow \(flow), dimension \(dimension), code \(code)")
                    let (f, g) = (alone.factors[dimension][code], together.factors[dimension][code])
                    #expect(abs(f - g) <= 1e-9 * max(1, abs(f)), "flow \(flow), dimension \(dimension), code \(code)")
                }
            }
            for cell in alone.fitted.indices {
                #expect(abs(alone.fitted[cell] - together.fitted[cell]) <= 1e-9 * max(1, alone.fitted[cell]))
            }
        }
        // The numerators need different numbers of passes, so the joint fit stops scaling the
        // first to converge while the others go on.
        #expect(passes.count > 1)
    }

    /// Two numerators share a vector per cell, three are padded to four, five take the general
    /// path: each still gives the fit it gives alone.
    @Test(arguments: [2, 3, 5])
    func eachNumeratorFitsAsItDoesAloneWhateverTheLaneCount(lanes: Int) throws {
        let (finest, dimensions, rollUpCodes, flows) = Self.cells()
        let numerators = (0..<lanes).map { flows[($0 * 2) % flows.count] }
        let fitter = MainEffectsFitter()
        let joint = try fitter.fit(numerators: numerators, over: finest, dimensions: dimensions, rollUpCodes: rollUpCodes)
        for (lane, numerator) in numerators.enumerated() {
            let alone = try #require(try fitter.fit(numerators: [numerator], over: finest, dimensions: dimensions,
                                                    rollUpCodes: rollUpCodes)[0])
            let together = try #require(joint[lane])
            #expect(together.iterations == alone.iterations, "lane \(lane)")
            for cell in alone.fitted.indices {
                #expect(abs(alone.fitted[cell] - together.fitted[cell]) <= 1e-9 * max(1, alone.fitted[cell]), "lane \(lane), cell \(cell)")
            }
            for dimension in dimensions.indices {
                for code in alone.expected[dimension].indices {
                    let (a, b) = (alone.expected[dimension][code], together.expected[dimension][code])
                    #expect(abs(a - b) <= 1e-9 * max(1, abs(a)), "lane \(lane), dimension \(dimension), code \(code)")
                }
            }
        }
    }

    /// Fitted together, each numerator matches its margins: Σμ over each member of a fitted
    /// dimension equals the member's observed numerator. (The third has a member without events,
    /// which keeps its factor, so its margins are not all matched, by design.)
    @Test func theFitsMatchTheirMargins() throws {
        let (finest, dimensions, rollUpCodes, flows) = Self.cells()
        let fits = try MainEffectsFitter().fit(numerators: flows, over: finest, dimensions: dimensions, rollUpCodes: rollUpCodes)
        for (flow, fit) in fits.enumerated().prefix(2) {
            let fit = try #require(fit)
            for dimension in [1, 2] {
                var observed = [Double](repeating: 0, count: dimensions[dimension].cardinality)
                var fitted = observed
                for cell in fit.fitted.indices {
                    let code = Int(fit.columns[dimension][cell])
                    observed[code] += flows[flow][cell]
                    fitted[code] += fit.fitted[cell]
                }
                for code in observed.indices where observed[code] > 0 {
                    #expect(abs(fitted[code] - observed[code]) <= 1e-3 * observed[code], "flow \(flow), dimension \(dimension), code \(code)")
                }
            }
        }
    }
}
