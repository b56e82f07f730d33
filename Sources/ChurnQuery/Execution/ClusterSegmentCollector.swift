/// What a scan collects so that variances can be robust to accounts: the numerator and
/// denominator of each account's rows, group by group, with the account's code.
package struct ClusterSpec: Sendable {
    /// The attribute (catalog index) whose values are the clusters: the account.
    package var attribute: Int
    package var numerator: RowExpression
    package var denominator: RowExpression
}

/// One worker's segments: stretches of adjacent rows of one account and one group slot, with
/// their sums of the numerator and the denominator (NULL counts as 0, as SUM skips it) and of
/// their squares and product per row. Rows of
/// an account lie together when the cube is sorted by account, so there are about as many
/// segments as accounts; an account whose group changes from month to month (its health)
/// gives one segment per stretch. Rows without an account (NULL) are a segment each: they
/// are their own clusters.
final class ClusterSegmentCollector {
    let spec: ClusterSpec
    let attribute: GroupAttribute
    private(set) var clusters: [UInt32] = []
    private(set) var slots: [Int32] = []
    private(set) var xs: [Double] = []
    private(set) var ys: [Double] = []
    /// Σx², Σx·y and Σy² over the segment's rows.
    private(set) var rowMoments: [SIMD3<Double>] = []
    /// The segments of each row group this worker scanned, in the order it scanned them.
    private(set) var rowGroups: [(rowGroup: Int, segments: Range<Int>)] = []
    private let xUnit: Double
    private let yUnit: Double

    init(spec: ClusterSpec, catalog: CubeCatalog) {
        self.spec = spec
        attribute = catalog.attributes[spec.attribute]
        xUnit = Self.unit(of: spec.numerator)
        yUnit = Self.unit(of: spec.denominator)
    }

    /// The value of one unit of an expression's evaluated words (10^-scale for exact values).
    private static func unit(of expression: RowExpression) -> Double {
        if case let .exact(scale) = expression.valueType { return 1 / pow10(scale) }
        return 1
    }

    var count: Int { clusters.count }

    /// Adds the segments of the batch's selected rows.
    func consume(_ batch: ScanBatch, rowGroup: Int) throws {
        let first = clusters.count
        defer { rowGroups.append((rowGroup, first..<clusters.count)) }
        let x = try batch.expressions.evaluate(spec.numerator, rows: batch.selection)
        defer { batch.expressions.release(x) }
        let y = try batch.expressions.evaluate(spec.denominator, rows: batch.selection)
        defer { batch.expressions.release(y) }
        let slots = batch.slots
        let (xUnit, yUnit) = (self.xUnit, self.yUnit)
        @inline(__always) func value(_ values: ExpressionEvaluator.Values, _ row: Int) -> Double {
            if let nulls = values.nulls, nulls[row] != 0 { return 0 }
            return values.double(row)
        }
        let rowUnits = SIMD3(xUnit * xUnit, xUnit * yUnit, yUnit * yUnit)
        func emit(_ cluster: UInt32, _ slot: Int32, _ sumX: Double, _ sumY: Double, _ squares: SIMD3<Double>) {
            clusters.append(cluster)
            self.slots.append(slot)
            xs.append(sumX * xUnit)
            ys.append(sumY * yUnit)
            rowMoments.append(squares * rowUnits)
        }
        let column = attribute.column
        if batch.selection == nil, attribute.codeMap == nil, let runs = try batch.reader.codeRuns(column) {
            // Run by run of the account column: the common case of a cube sorted by account.
            var row = 0
            for run in runs {
                let cluster = UInt32(truncatingIfNeeded: run.value)
                let end = row + run.length
                var slot = slots[row]
                var segmentX = 0.0, segmentY = 0.0
                var squares = SIMD3<Double>()
                for current in row..<end {
                    let next = slots[current]
                    if next != slot || (cluster == 0 && current > row) {
                        emit(cluster, slot, segmentX, segmentY, squares)
                        slot = next
                        segmentX = 0
                        segmentY = 0
                        squares = SIMD3()
                    }
                    let (rowX, rowY) = (value(x, current), value(y, current))
                    segmentX += rowX
                    segmentY += rowY
                    squares += SIMD3(rowX * rowX, rowX * rowY, rowY * rowY)
                }
                emit(cluster, slot, segmentX, segmentY, squares)
                row = end
            }
            return
        }
        let codes = try batch.reader.codes(column)
        let codeMap = attribute.codeMap
        var started = false
        var cluster: UInt32 = 0, slot: Int32 = 0
        var segmentX = 0.0, segmentY = 0.0
        var squares = SIMD3<Double>()
        batch.forEachRow { row in
            let code = codeMap.map { $0[Int(codes[row])] } ?? codes[row]
            let rowSlot = slots[row]
            if !started || code != cluster || rowSlot != slot || code == 0 {
                if started { emit(cluster, slot, segmentX, segmentY, squares) }
                started = true
                cluster = code
                slot = rowSlot
                segmentX = 0
                segmentY = 0
                squares = SIMD3()
            }
            let (rowX, rowY) = (value(x, row), value(y, row))
            segmentX += rowX
            segmentY += rowY
            squares += SIMD3(rowX * rowX, rowX * rowY, rowY * rowY)
        }
        if started { emit(cluster, slot, segmentX, segmentY, squares) }
    }
}

/// Every worker's segments in the order of the rows (row group by row group), each with the
/// combined key of its group instead of a worker's slot: the same list on every run, whichever
/// worker scanned which row group.
package struct ClusterSegments: Sendable {
    package var clusters: [UInt32] = []
    package var keys: [UInt64] = []
    package var xs: [Double] = []
    package var ys: [Double] = []
    /// Σx², Σx·y and Σy² over each segment's rows.
    package var rowMoments: [SIMD3<Double>] = []
    /// Codes of the cluster attribute (NULL included): clusters are below it.
    package var clusterCodeCount = 0
    /// Accounts a remote engine summed up per cell, because each has rows in that cell only:
    /// per cell key their number, ΣX², ΣY², ΣX·Y, and the Σx², Σx·y, Σy² of their rows. The
    /// segments are then those of the other accounts.
    package var pooled: [PooledClusters] = []

    package struct PooledClusters: Sendable {
        var key: UInt64
        var clusters: Double
        var xx, yy, xy: Double
        var rowMoments: SIMD3<Double>
    }

    init(collectors: [ClusterSegmentCollector], aggregations: [GroupedAggregation], rowGroupCount: Int, clusterCodeCount: Int) {
        self.clusterCodeCount = clusterCodeCount
        var owner = [(worker: Int, segments: Range<Int>)?](repeating: nil, count: rowGroupCount)
        var total = 0
        for (worker, collector) in collectors.enumerated() {
            for part in collector.rowGroups {
                owner[part.rowGroup] = (worker, part.segments)
                total += part.segments.count
            }
        }
        clusters.reserveCapacity(total)
        keys.reserveCapacity(total)
        xs.reserveCapacity(total)
        ys.reserveCapacity(total)
        rowMoments.reserveCapacity(total)
        for case let (worker, segments)? in owner {
            let collector = collectors[worker]
            let aggregation = aggregations[worker]
            for index in segments {
                clusters.append(collector.clusters[index])
                keys.append(aggregation.key(ofSlot: Int(collector.slots[index])))
                xs.append(collector.xs[index])
                ys.append(collector.ys[index])
                rowMoments.append(collector.rowMoments[index])
            }
        }
    }

    /// Segments made elsewhere: a remote engine's sums per account and cell.
    init(clusters: [UInt32], keys: [UInt64], xs: [Double], ys: [Double], rowMoments: [SIMD3<Double>], clusterCodeCount: Int) {
        self.clusters = clusters
        self.keys = keys
        self.xs = xs
        self.ys = ys
        self.rowMoments = rowMoments
        self.clusterCodeCount = clusterCodeCount
    }

    package var count: Int { clusters.count }
}
