/// Whether one cell's conditions imply another's, hierarchies included: `country = DE` implies
/// `region = emea` when DE rolls up to emea in the data.
struct HierarchyImplication {
    /// Per dimension, its hierarchy parent and each code's parent code (from either period).
    private let parents: [(level: Int, codes: [UInt32])?]

    init(lattices: [CuboidLattice], dimensions: [HotspotDimension]) {
        parents = dimensions.indices.map { dimension in
            guard let level = dimensions[dimension].hierarchyParent else { return nil }
            var codes = [UInt32](repeating: .max, count: dimensions[dimension].cardinality)
            for lattice in lattices {
                guard let seen = lattice.rollUpCodes[dimension] else { continue }
                for (code, parent) in seen.enumerated() where codes[code] == .max { codes[code] = parent }
            }
            return (level, codes)
        }
    }

    /// Every condition of `general` follows from one of `specific`.
    func implies(_ specific: [HotspotCondition], _ general: [HotspotCondition]) -> Bool {
        general.allSatisfy { wanted in specific.contains { implies($0, wanted) } }
    }

    private func implies(_ condition: HotspotCondition, _ wanted: HotspotCondition) -> Bool {
        var current = condition
        for _ in 0..<8 {
            if current == wanted { return true }
            guard let parent = parents[current.dimension], Int(current.code) < parent.codes.count,
                  parent.codes[Int(current.code)] != .max else { return false }
            current = HotspotCondition(dimension: parent.level, code: parent.codes[Int(current.code)])
        }
        return false
    }
}
