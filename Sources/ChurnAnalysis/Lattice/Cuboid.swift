/// One group-by over a set of dimensions, as a dense array of moments indexed by mixed-radix
/// codes: index = ((c₀·r₁ + c₁)·r₂ + c₂)… with rᵢ the cardinality of the i-th dimension.
///
/// Dense arrays make re-aggregation a single pass without hashing; the searched dimensions have
/// low cardinality, and `CuboidLattice` refuses cuboids that would be too large.
struct Cuboid: Sendable {
    /// Positions among the input's dimensions, ascending.
    let dimensions: [Int]
    let radices: [Int]
    let strides: [Int]
    /// Bit i set when input dimension i is grouped.
    let mask: UInt64
    var moments: [Moments]

    init(dimensions: [Int], radices: [Int]) {
        self.dimensions = dimensions
        self.radices = radices
        var strides = [Int](repeating: 1, count: radices.count)
        var stride = 1
        for position in radices.indices.reversed() {
            strides[position] = stride
            stride *= radices[position]
        }
        self.strides = strides
        mask = dimensions.reduce(0) { $0 | (1 << UInt64($1)) }
        moments = [Moments](repeating: .zero, count: stride)
    }

    var depth: Int { dimensions.count }
    var cellCount: Int { moments.count }

    /// The index, in the cuboid without the dimension at `position`, of the cell holding `index`.
    @inline(__always)
    func parentIndex(of index: Int, droppingPosition position: Int) -> Int {
        let stride = strides[position]
        return (index / (stride * radices[position])) * stride + index % stride
    }

    /// The code of each grouped dimension of the cell at `index`.
    func codes(of index: Int) -> [UInt32] {
        radices.indices.map { UInt32((index / strides[$0]) % radices[$0]) }
    }

    /// The cell's conditions, in dimension order.
    func conditions(of index: Int) -> [HotspotCondition] {
        zip(dimensions, codes(of: index)).map { HotspotCondition(dimension: $0, code: $1) }
    }

    /// Adds every cell of `finer`, which groups these dimensions and `position`'s one more.
    mutating func accumulate(rollingUp finer: Cuboid, droppingPosition position: Int, cells: Range<Int>) {
        let stride = finer.strides[position]
        let block = stride * finer.radices[position]
        finer.moments.withUnsafeBufferPointer { source in
            moments.withUnsafeMutableBufferPointer { target in
                for index in cells where source[index].rows != 0 {
                    target[(index / block) * stride + index % stride] += source[index]
                }
            }
        }
    }
}
