/// `HOTSPOTS measure [FROM cube] [WHERE filter] BY dims | BY * [DEPTH n] [MIN SUPPORT n]
/// [VERSUS EXPECTED|PARENT|GLOBAL] [HOT|COLD|BOTH] [ORDER BY IMPACT|LIFT|SUPPORT] [LIMIT n]`.
///
/// The clauses after BY may come in any order, each at most once. Unwritten options are nil
/// so the analysis layer owns the defaults.
package struct HotspotsStatement: Hashable, Sendable {
    /// The dimensions to combine: a list, or `*` for every dimension of the cube.
    package enum Dimensions: Hashable, Sendable {
        case all
        case list([Identifier])
    }

    /// What a cell is compared against.
    package enum Baseline: String, Hashable, Sendable, CaseIterable {
        case expected = "EXPECTED", parent = "PARENT", global = "GLOBAL"
    }

    /// Which deviations to report: worse than baseline, better, or both.
    package enum Direction: String, Hashable, Sendable, CaseIterable {
        case hot = "HOT", cold = "COLD", both = "BOTH"
    }

    /// The ranking key.
    package enum Ranking: String, Hashable, Sendable, CaseIterable {
        case impact = "IMPACT", lift = "LIFT", support = "SUPPORT"
    }

    package var measure: Expression
    package var cube: Identifier?
    package var filter: Expression?
    package var dimensions: Dimensions
    package var depth: Int?
    /// Minimum rows (or denominator) behind a cell; may be fractional for money measures.
    package var minimumSupport: Double?
    package var baseline: Baseline?
    package var direction: Direction?
    package var ranking: Ranking?
    package var limit: Int?
    @IgnoredInEquality package var range: SourceRange

    package init(
        measure: Expression, cube: Identifier? = nil, filter: Expression? = nil, dimensions: Dimensions,
        depth: Int? = nil, minimumSupport: Double? = nil, baseline: Baseline? = nil,
        direction: Direction? = nil, ranking: Ranking? = nil, limit: Int? = nil,
        range: SourceRange = .synthesized
    ) {
        self.measure = measure
        self.cube = cube
        self.filter = filter
        self.dimensions = dimensions
        self.depth = depth
        self.minimumSupport = minimumSupport
        self.baseline = baseline
        self.direction = direction
        self.ranking = ranking
        self.limit = limit
        self.range = range
    }
}
