import ChurnArrow
import ChurnStorage

/// HEALTH's histogram of a numeric score on a remote engine: the evaluated rows grouped there by
/// score and outcome (the outcome a window column, NULL where a row is not evaluated), read into
/// the histogram the in-memory pass gives.
struct RemoteScoreHistogram {
    let connection: any SQLConnection
    /// The catalog of the outcomes' engine, which has the outcome column.
    let catalog: CubeCatalog
    let filter: RowPredicate
    let score: RowExpression
    let outcomeColumn: Int

    func run(cancellation: Cancellation) throws -> ScoreHistogramScan.Histogram {
        let source = SQLRowSource(dialect: connection.dialect, table: connection.table, catalog: catalog, filter: filter)
        let rows = source.query(outputs: [(source.writer.expression(score), "s"), (SQLExpressionWriter.dimensionAlias(outcomeColumn), "o")],
                                columns: Set(score.columns).union([outcomeColumn]))
        let sql = "SELECT s, o, count(*) AS n\nFROM (" + rows + ") AS scored\nWHERE o IS NOT NULL\nGROUP BY s, o"
        let stream = try connection.run(sql, cancellation: cancellation)
        let format = ScoreKey(score)
        var histogram = ScoreHistogramScan.Histogram()
        for batch in stream.batches {
            for row in 0..<batch.rowCount {
                let count = Int(ArrowCell(column: batch.columns[2], row: row).integer ?? 0)
                let positive = ArrowCell(column: batch.columns[1], row: row).text == "1" ? count : 0
                let value = ArrowCell(column: batch.columns[0], row: row)
                if value.isNull {
                    histogram.nullScores.add(ScoreHistogramScan.Tally(evaluated: count, positive: positive))
                    continue
                }
                let key: Int64
                if let scale = format.scale {
                    guard let units = value.units(scale: scale) else { throw RemoteResultError.unexpectedType(value.column) }
                    key = units
                } else {
                    guard let double = value.double else { throw RemoteResultError.unexpectedType(value.column) }
                    key = ScoreKey.key(ofDouble: double)
                }
                histogram.scores[key, default: ScoreHistogramScan.Tally()].add(ScoreHistogramScan.Tally(evaluated: count, positive: positive))
            }
        }
        return histogram
    }
}
