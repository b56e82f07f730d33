import ChurnStorage
import Dispatch
import Synchronization

/// The pass of HEALTH <numeric score>: worker threads take row groups in turn, select the rows
/// the filter keeps, read each one's outcome from its account and month codes, and count it under
/// its score (`ScoreKey`); the workers' counts are merged at the end. Counts are integers, so
/// the merged histogram does not depend on which worker met which row.
struct ScoreHistogramScan: Sendable {
    let store: ColumnStore
    let filter: RowPredicate
    let score: RowExpression
    let outcomes: ChurnOutcomes.RowOutcomes

    /// Evaluated rows and those with the outcome.
    struct Tally: Sendable {
        var evaluated = 0
        var positive = 0

        mutating func add(_ other: Tally) {
            evaluated += other.evaluated
            positive += other.positive
        }

        @inline(__always)
        mutating func count(outcome: Int8) {
            evaluated += 1
            positive += Int(outcome)
        }
    }

    /// Per distinct score key its rows, and the rows whose score is NULL.
    struct Histogram: Sendable {
        var scores: [Int64: Tally] = [:]
        var nullScores = Tally()

        mutating func merge(_ other: Histogram) {
            if scores.isEmpty { scores = other.scores } else { scores.merge(other.scores) { var sum = $0; sum.add($1); return sum } }
            nullScores.add(other.nullScores)
        }
    }

    func run(cancellation: Cancellation) throws -> Histogram {
        let groupCount = store.rowGroupCount
        let workerCount = max(1, min(groupCount, activeProcessorCount()))
        let next = Atomic<Int>(0)
        let pruner = ChunkPruner(store: store)
        var results = [Result<Histogram, Error>?](repeating: nil, count: workerCount)
        results.withUnsafeMutableBufferPointer { results in
            nonisolated(unsafe) let results = results
            DispatchQueue.concurrentPerform(iterations: workerCount) { worker in
                results[worker] = Result {
                    let worker = Worker(scan: self, pruner: pruner)
                    var histogram = Histogram()
                    while true {
                        if cancellation.isCancelled { throw QueryError.cancelled }
                        let rowGroup = next.add(1, ordering: .relaxed).oldValue
                        if rowGroup >= groupCount { break }
                        try worker.consume(rowGroup: rowGroup, into: &histogram)
                    }
                    return histogram
                }
            }
        }
        var merged = Histogram()
        for result in results {
            do {
                merged.merge(try result!.get())
            } catch let error as QueryError {
                throw error
            } catch {
                throw QueryError.storage(error)
            }
        }
        return merged
    }

    /// One worker's reader, filter and buffers, reused from one row group to the next.
    private final class Worker {
        let scan: ScoreHistogramScan
        let pruner: ChunkPruner
        let reader: RowGroupReader
        let predicates: PredicateEvaluator
        /// Account and month codes at the selected rows, when the filter kept a list of them.
        let accountCodes = UnsafeMutablePointer<UInt32>.allocate(capacity: ColumnChunk.maximumRowCount)
        let monthCodes = UnsafeMutablePointer<UInt32>.allocate(capacity: ColumnChunk.maximumRowCount)

        init(scan: ScoreHistogramScan, pruner: ChunkPruner) {
            self.scan = scan
            self.pruner = pruner
            reader = RowGroupReader(store: scan.store)
            predicates = PredicateEvaluator(pruner: pruner, reader: reader)
        }

        deinit {
            accountCodes.deallocate()
            monthCodes.deallocate()
        }

        func consume(rowGroup: Int, into histogram: inout Histogram) throws {
            reader.start(rowGroup: rowGroup)
            var selection = RowSelection.all(reader.rowCount)
            switch pruner.verdict(scan.filter, rowGroup: rowGroup) {
            case .none: return
            case .all: break
            case .some: selection = try predicates.select(scan.filter)
            }
            defer { predicates.pool.release(selection) }
            guard selection.count > 0 else { return }
            let rows = selection.buffer
            let outcomes = scan.outcomes
            // Codes by position in the selection: read at its rows, or the whole group's when all are kept.
            let accounts: UnsafePointer<UInt32>, months: UnsafePointer<UInt32>
            if let rows {
                try reader.codes(outcomes.accountColumn, at: rows, into: accountCodes)
                try reader.codes(outcomes.monthColumn, at: rows, into: monthCodes)
                accounts = UnsafePointer(accountCodes)
                months = UnsafePointer(monthCodes)
            } else {
                accounts = try reader.codes(outcomes.accountColumn).baseAddress!
                months = try reader.codes(outcomes.monthColumn).baseAddress!
            }
            let values = try predicates.expressions.evaluate(scan.score, rows: rows)
            defer { predicates.expressions.release(values) }
            let isExact = !values.isDouble
            // Rows of one account often repeat its score month after month: a stretch of one
            // score is counted aside and added to the histogram once.
            var stretchKey: Int64 = 0, stretch = Tally()
            for position in 0..<selection.count {
                let outcome = outcomes.outcome(account: accounts[position], month: months[position])
                guard outcome != ChurnOutcomes.RowOutcomes.notEvaluated else { continue }
                let row = rows.map { Int($0[position]) } ?? position
                if values.isNull(row) {
                    histogram.nullScores.count(outcome: outcome)
                    continue
                }
                let key = isExact ? values.words[row] : ScoreKey.key(ofDouble: values.double(row))
                if key != stretchKey {
                    if stretch.evaluated > 0 { histogram.scores[stretchKey, default: Tally()].add(stretch) }
                    stretchKey = key
                    stretch = Tally()
                }
                stretch.count(outcome: outcome)
            }
            if stretch.evaluated > 0 { histogram.scores[stretchKey, default: Tally()].add(stretch) }
        }
    }
}
