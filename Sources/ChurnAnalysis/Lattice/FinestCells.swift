import ChurnQuery

/// The finest cells in a flat layout: codes cell-major, moments alongside.
struct FinestCells: Sendable {
    let dimensionCount: Int
    let codes: [UInt32]
    let moments: [Moments]
    let total: Moments

    init(input: HotspotInput, cancellation: Cancellation) throws {
        dimensionCount = input.dimensions.count
        var codes: [UInt32] = []
        codes.reserveCapacity(input.cells.count * dimensionCount)
        var moments: [Moments] = []
        moments.reserveCapacity(input.cells.count)
        var total = Moments.zero
        for (index, cell) in input.cells.enumerated() {
            if index % CuboidLattice.blockSize == 0 { try cancellation.check() }
            guard cell.key.count == dimensionCount else {
                throw HotspotError.keyLength(cell: index, found: cell.key.count, expected: dimensionCount)
            }
            for (dimension, code) in cell.key.enumerated() where Int(code) >= input.dimensions[dimension].cardinality {
                let definition = input.dimensions[dimension]
                throw HotspotError.codeOutOfRange(dimension: definition.name, code: code, cardinality: definition.cardinality)
            }
            codes.append(contentsOf: cell.key)
            moments.append(cell.moments)
            total += cell.moments
        }
        self.codes = codes
        self.moments = moments
        self.total = total
    }

    /// The code of `dimension`'s hierarchy parent level for each of its codes, first seen wins.
    func rollUpCodes(of dimension: Int, in dimensions: [HotspotDimension]) -> [UInt32]? {
        guard let parentLevel = dimensions[dimension].hierarchyParent else { return nil }
        var codes = [UInt32](repeating: UInt32.max, count: dimensions[dimension].cardinality)
        for cell in 0..<moments.count {
            let code = Int(self.codes[cell * dimensionCount + dimension])
            if codes[code] == UInt32.max { codes[code] = self.codes[cell * dimensionCount + parentLevel] }
        }
        return codes
    }

    func aggregate(cells: Range<Int>, into cuboid: inout Cuboid) {
        let positions = cuboid.dimensions
        let strides = cuboid.strides
        let width = dimensionCount
        codes.withUnsafeBufferPointer { codes in
            moments.withUnsafeBufferPointer { moments in
                cuboid.moments.withUnsafeMutableBufferPointer { target in
                    switch positions.count {
                    case 1:
                        let (d0) = (positions[0])
                        for cell in cells {
                            target[Int(codes[cell * width + d0])] += moments[cell]
                        }
                    case 2:
                        let (d0, d1, s0) = (positions[0], positions[1], strides[0])
                        for cell in cells {
                            let base = cell * width
                            target[Int(codes[base + d0]) * s0 + Int(codes[base + d1])] += moments[cell]
                        }
                    case 3:
                        let (d0, d1, d2, s0, s1) = (positions[0], positions[1], positions[2], strides[0], strides[1])
                        for cell in cells {
                            let base = cell * width
                            let index = Int(codes[base + d0]) * s0 + Int(codes[base + d1]) * s1 + Int(codes[base + d2])
                            target[index] += moments[cell]
                        }
                    default:
                        for cell in cells {
                            let base = cell * width
                            var index = 0
                            for (position, dimension) in positions.enumerated() {
                                index += Int(codes[base + dimension]) * strides[position]
                            }
                            target[index] += moments[cell]
                        }
                    }
                }
            }
        }
    }
}
