/// What a search did, for EXPLAIN HOTSPOTS: counts per stage and the time of each phase.
package struct HotspotSearchStatistics: Sendable, Equatable {
    /// Dimensions sets aggregated (all 1…depth conditions, hierarchy pairs excluded).
    package var cuboids = 0
    /// Occupied cells (at least one row) over all cuboids.
    package var cellsEnumerated = 0
    /// Cells whose denominator is below the minimum support (or 0).
    package var prunedBySupport = 0
    /// Cells tested against their baseline: the Benjamini–Hochberg family.
    package var tested = 0
    /// Tested cells with q ≤ FDR in the requested direction.
    package var significant = 0
    /// The numerator's flows, when expectations were fitted flow by flow (`HotspotFlows`).
    package var fittedFlows: [String] = []
    /// Cuboids of depth ≥ 2 with enough tested cells to estimate the width of their empirical
    /// null, those found wider than N(0, 1), and the widest.
    package var nullFamilies = 0
    package var widenedNullFamilies = 0
    package var widestNull = 1.0
    package var widestNullFamily = ""
    /// Significant cells of depth ≥ 2 that do not depart from every parent.
    package var prunedAsRedundant = 0
    /// Qualified cells folded under a relative that explains them (listed as its `also`).
    package var folded = 0
    /// Findings that survived every stage, before LIMIT.
    package var qualified = 0
    /// Findings returned.
    package var reported = 0
    /// Iterative-proportional-fitting passes, summed over cuboids (expected baselines).
    package var fittingPasses = 0
    /// Passes of the joint main-effects fit over the finest cells (one-condition baselines).
    package var mainEffectsPasses = 0
    /// Dimensions whose member changes within some account (their cuboids' variances need the
    /// accounts merged over them).
    package var varyingDimensions: [String] = []
    /// Merged copies of the finest cells built for them, and their cells.
    package var mergedFinestGroupings = 0
    package var mergedFinestCells = 0
    package var timings = Timings()

    /// Wall time of each phase.
    package struct Timings: Sendable, Equatable {
        /// Deriving every cuboid from the finest cells.
        package var aggregation: Duration = .zero
        /// Merging accounts' parts over the dimensions that change within an account.
        package var variance: Duration = .zero
        /// Fitting the joint main-effects model (expected baselines of one-condition cells).
        package var mainEffects: Duration = .zero
        /// Fitting expected baselines.
        package var baselines: Duration = .zero
        /// Testing every supported cell.
        package var testing: Duration = .zero
        /// Estimating each family's empirical null and widening its z's.
        package var empiricalNull: Duration = .zero
        /// Benjamini–Hochberg over the family.
        package var falseDiscoveryControl: Duration = .zero
        /// Tests against each parent.
        package var redundancy: Duration = .zero
        /// Folding relatives under the cell that explains them.
        package var folding: Duration = .zero
        /// Ordering and writing the findings.
        package var ranking: Duration = .zero

        package var total: Duration {
            aggregation + variance + mainEffects + baselines + testing + empiricalNull + falseDiscoveryControl + redundancy + folding + ranking
        }
    }

    /// The lines of EXPLAIN HOTSPOTS.
    package var explanation: [String] {
        func milliseconds(_ duration: Duration) -> String {
            let components = duration.components
            let value = Double(components.seconds) * 1000 + Double(components.attoseconds) / 1e15
            return ReadingFormat.decimal(value, digits: 1) + " ms"
        }
        return [
            "cuboids: \(ReadingFormat.count(Double(cuboids)))",
            "cells enumerated: \(ReadingFormat.count(Double(cellsEnumerated)))",
            "pruned by support: \(ReadingFormat.count(Double(prunedBySupport)))",
            "tested: \(ReadingFormat.count(Double(tested)))",
            "significant: \(ReadingFormat.count(Double(significant)))",
            "pruned as redundant: \(ReadingFormat.count(Double(prunedAsRedundant)))",
            "folded into a cause: \(ReadingFormat.count(Double(folded)))",
            "qualified: \(ReadingFormat.count(Double(qualified)))",
            "reported: \(ReadingFormat.count(Double(reported)))",
            "aggregation: \(milliseconds(timings.aggregation))",
            "variance: " + (varyingDimensions.isEmpty
                ? "no dimension changes within an account: cluster moments add up exactly"
                : "\(varyingDimensions.joined(separator: ", ")) change\(varyingDimensions.count == 1 ? "s" : "") within accounts: "
                    + "\(mergedFinestGroupings) merged finest grouping\(mergedFinestGroupings == 1 ? "" : "s") "
                    + "(\(ReadingFormat.count(Double(mergedFinestCells))) cells)")
                + ", \(milliseconds(timings.variance))",
            "main effects: \(milliseconds(timings.mainEffects)) (\(mainEffectsPasses) fitting passes)",
            "baselines: \(milliseconds(timings.baselines)) (\(fittingPasses) fitting passes)"
                + (fittedFlows.isEmpty ? "" : ", the numerator fitted flow by flow: \(fittedFlows.joined(separator: ", "))"),
            "testing: \(milliseconds(timings.testing))",
            "empirical null: \(widenedNullFamilies) of \(nullFamilies) cuboid\(nullFamilies == 1 ? "" : "s") wider than N(0, 1)"
                + (widenedNullFamilies > 0
                    ? " (widest \(ReadingFormat.decimal(widestNull, digits: 2)), \(widestNullFamily)), z divided by the width"
                    : "")
                + ", \(milliseconds(timings.empiricalNull))",
            "false discovery control: \(milliseconds(timings.falseDiscoveryControl))",
            "redundancy: \(milliseconds(timings.redundancy))",
            "folding: \(milliseconds(timings.folding))",
            "ranking: \(milliseconds(timings.ranking))",
            "total: \(milliseconds(timings.total))",
        ]
    }
}
