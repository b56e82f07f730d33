/// The grouped scan with account segments (HOTSPOTS' account-robust variances) on a remote
/// engine: one statement grouped by the cells' keys and the account gives each account's sums
/// within each cell, which are the segments the in-memory scan collects; the cells' own sums are
/// those added up per cell. The accounts with rows in one cell only (all of them when no searched
/// dimension changes within an account) are summed up per cell there, squares included, so the
/// answer has a row per cell and per segment of the other accounts rather than one per account.
struct RemoteClusterScan {
    let connection: any SQLConnection
    let catalog: CubeCatalog
    let filter: RowPredicate?
    let keyAttributes: [GroupAttribute]
    let specs: [AggregateSpec]
    let clusters: ClusterSpec

    func run(cancellation: Cancellation) throws -> (GroupedAggregation, ScanStatistics, ClusterSegments?) {
        let account = catalog.attributes[clusters.attribute]
        let moments = AggregateSpec.secondMoments(.approximate(clusters.numerator), .approximate(clusters.denominator))
        let partSpecs = specs + [.sum(.approximate(clusters.numerator)), .sum(.approximate(clusters.denominator)), moments]
        let keys = keyAttributes + [account]
        let sql = try AggregateSQL(dialect: connection.dialect, table: connection.table, catalog: catalog, filter: filter,
                                   keys: keys, groupingSets: [Array(keys.indices)], specs: partSpecs)
        let pooledStatement = sql.pooledClusterStatement(x: specs.count, y: specs.count + 1)
        let outcome = try RemoteGrouping(connection: connection, sql: sql, mainStatement: pooledStatement,
                                         extraColumns: pooledStatement == nil ? [] : ["cxx", "cyy", "cxy", "cn"]).run(cancellation: cancellation)
        let parts = outcome.aggregations[0]
        // The pooled rows (account NULL) and their extra columns, by slot.
        var extraRow = [Int32](repeating: -1, count: pooledStatement == nil ? 0 : parts.slotCount)
        for (row, slot) in outcome.extraSlots.enumerated() { extraRow[slot] = Int32(row) }
        try parts.checkRepresentable()
        let cells = try RemoteGrouping.aggregation(specs: specs, radices: keyAttributes.map(\.codeCount))
        // Account after account, cells in key order within one: the order the in-memory scan's
        // segments have on a store sorted by account, so the merged sums are taken alike.
        // A slot's key is cell * accounts + account; sorting by account * cells + cell fits the
        // same 64 bits, since both number the same key space.
        let accountRadix = UInt64(max(1, account.codeCount))
        let cellSpan = keyAttributes.reduce(UInt64(1)) { $0 &* UInt64(max(1, $1.codeCount)) }
        let slots = parts.occupiedSlots.map { slot -> (order: UInt64, slot: Int) in
            let key = parts.key(ofSlot: slot)
            return ((key % accountRadix) &* cellSpan &+ key / accountRadix, slot)
        }.sorted { $0.order < $1.order }.map(\.slot)
        let second = parts.aggregates[specs.count + 2] as! SecondMomentsAggregate
        var segments = ClusterSegments(clusters: [], keys: [], xs: [], ys: [], rowMoments: [], clusterCodeCount: account.codeCount)
        for slot in slots {
            let key = parts.key(ofSlot: slot)
            let cellKey = key / accountRadix
            cells.merge(parts, slot: slot, into: Int(cells.slot(forKey: cellKey)))
            let (xx, yy, xy) = second.moments(slot: slot)
            if key % accountRadix == 0, slot < extraRow.count, extraRow[slot] >= 0 {
                let row = Int(extraRow[slot])
                let extras = outcome.extras
                segments.pooled.append(ClusterSegments.PooledClusters(key: cellKey, clusters: extras[3][row], xx: extras[0][row], yy: extras[1][row],
                                                                      xy: extras[2][row], rowMoments: SIMD3(xx, xy, yy)))
                continue
            }
            segments.clusters.append(UInt32(key % accountRadix))
            segments.keys.append(cellKey)
            segments.xs.append(parts.aggregates[specs.count].doubleValue(slot: slot, rows: parts.rows[slot]) ?? 0)
            segments.ys.append(parts.aggregates[specs.count + 1].doubleValue(slot: slot, rows: parts.rows[slot]) ?? 0)
            segments.rowMoments.append(SIMD3(xx, xy, yy))
        }
        try cells.checkRepresentable()
        var statistics = ScanStatistics()
        statistics.rowsMatched = outcome.rowsMatched
        statistics.remote = RemoteProfile(location: connection.location, statements: outcome.statements, resultRows: outcome.resultRows)
        return (cells, statistics, segments)
    }
}
