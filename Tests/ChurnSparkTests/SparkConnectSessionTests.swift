#if Spark
import Foundation
import Synchronization
import Testing
@testable import ChurnSpark
@testable import ChurnSparkWire

/// Against a real Spark Connect server; one at a time, since a local[2] server has two cores.
@Suite(.serialized, .enabled(if: SparkServer.isConfigured, SparkServer.skipReason))
struct SparkConnectSessionTests {
    static let longQuery = "SELECT count(*) FROM range(0, 100000000000)"
    /// Needs task slots, so it waits while an abandoned long query still holds the cores.
    static let smallJob = "SELECT count(*) FROM range(0, 1000)"

    @Test func sparkVersion() async throws {
        let version = try await SparkServer.withSession { try $0.sparkVersion() }
        #expect(version.hasPrefix("4."), "version \(version)")
    }

    @Test func selectOneRow() async throws {
        let outcome = try await SparkServer.withSession { try $0.collect("SELECT 1 AS a, 'x' AS b") }
        #expect(outcome.summary.rowCount == 1)
        #expect(outcome.summary.batchCount == outcome.batches.count)
        #expect(outcome.batches.count >= 1)
        #expect(outcome.batches.allSatisfy { $0.startsLikeArrowIPC })
        #expect(outcome.summary.byteCount == outcome.batches.reduce(0) { $0 + $1.count })
        // Not reattachable: Spark ends the stream without its ResultComplete marker.
        #expect(!outcome.summary.sawResultComplete)
        #expect(outcome.summary.operationID.count == 36)
    }

    @Test func groupingSetsOverInlineValues() async throws {
        let sql = """
            SELECT region, channel, count(*) AS accounts, sum(mrr) AS mrr
            FROM VALUES ('eu', 'web', 10.0), ('eu', 'partner', 20.0), ('us', 'web', 5.0), ('us', 'web', 7.5)
                AS t(region, channel, mrr)
            GROUP BY GROUPING SETS ((region, channel), (region), ())
            """
        let outcome = try await SparkServer.withSession { try $0.collect(sql) }
        // 3 (region, channel) cells + 2 regions + the grand total.
        #expect(outcome.summary.rowCount == 6)
        #expect(!outcome.batches.isEmpty && outcome.batches.allSatisfy { $0.startsLikeArrowIPC })
    }

    @Test func emptyResult() async throws {
        let outcome = try await SparkServer.withSession { try $0.collect("SELECT id FROM range(10) WHERE id < 0") }
        #expect(outcome.summary.rowCount == 0)
    }

    @Test func largeResultInSeveralBatches() async throws {
        let outcome = try await SparkServer.withSession { try $0.collect("SELECT id, repeat('x', 100) AS pad FROM range(0, 300000)") }
        #expect(outcome.summary.rowCount == 300_000)
        #expect(outcome.summary.byteCount > 30_000_000)
        #expect(outcome.batches.count > 1)
    }

    @Test func unknownTableIsAServerErrorWithItsClass() async throws {
        let (failure, after) = try await SparkServer.withSession { session in
            let failure = Result { try session.collect("SELECT * FROM churncube_no_such_table") }
            return (failure.map(\.summary), try session.collect("SELECT 2").summary.rowCount)
        }
        guard case .failure(let error as SparkConnectError) = failure, case .server(let details) = error.kind else {
            Issue.record("expected a server error, got \(failure)")
            return
        }
        #expect(details.errorClass == "TABLE_OR_VIEW_NOT_FOUND")
        #expect(details.sqlState == "42P01")
        #expect(error.description.contains("churncube_no_such_table"))
        #expect(error.description.contains("TABLE_OR_VIEW_NOT_FOUND"))
        // The unresolved plan Spark appends is left out.
        #expect(!error.description.contains("UnresolvedRelation"), "\(error.description)")
        // The session survives a failed query.
        #expect(after == 1)
    }

    @Test func syntaxErrorKeepsTheCaret() async throws {
        let failure = try await SparkServer.withSession { session in
            Result { try session.collect("SELEC 1") }.map(\.summary)
        }
        guard case .failure(let error as SparkConnectError) = failure, case .server(let details) = error.kind else {
            Issue.record("expected a server error, got \(failure)")
            return
        }
        #expect(details.errorClass == "PARSE_SYNTAX_ERROR")
        #expect(error.description.contains("^^^"), "\(error.description)")
    }

    @Test func cancellingALongQueryReturnsPromptly() async throws {
        let reports = Mutex(0)
        let (failure, cancelTook, next) = try await SparkServer.withSession { session in
            let started = ContinuousClock.now
            let failure = Result {
                try session.execute(
                    sql: Self.longQuery,
                    isCancelled: { started.duration(to: .now) > .seconds(3) },
                    onBatch: { _ in },
                    progress: { _ in reports.withLock { $0 += 1 } }
                )
            }
            let cancelTook = started.duration(to: .now)
            let nextStarted = ContinuousClock.now
            let rows = try session.collect(Self.smallJob).summary.rowCount
            return (failure, cancelTook, (rows, nextStarted.duration(to: .now)))
        }
        guard case .failure(let error as SparkConnectError) = failure else {
            Issue.record("expected a cancellation, got \(failure)")
            return
        }
        #expect(error.kind == .cancelled, "\(error)")
        #expect(cancelTook < .seconds(8), "cancellation took \(cancelTook)")
        #expect(reports.withLock { $0 } > 0, "no execution progress while the query ran")
        // The server was told to stop: the next query answers at once.
        #expect(next.0 == 1)
        #expect(next.1 < .seconds(10), "the next query took \(next.1)")
    }

    @Test func timeoutStopsALongQuery() async throws {
        let (failure, took, after) = try await SparkServer.withSession { session in
            let started = ContinuousClock.now
            let failure = Result { try session.collect(Self.longQuery, timeout: .seconds(2)) }.map(\.summary)
            let took = started.duration(to: .now)
            return (failure, took, try session.collect(Self.smallJob).summary.rowCount)
        }
        guard case .failure(let error as SparkConnectError) = failure else {
            Issue.record("expected a timeout, got \(failure)")
            return
        }
        #expect(error.kind == .timeout(.seconds(2)), "\(error)")
        #expect(took < .seconds(10), "took \(took)")
        #expect(after == 1)
    }

    @Test func anErrorFromOnBatchStopsTheQuery() async throws {
        struct Enough: Error {}
        let (failure, after) = try await SparkServer.withSession { session in
            // Dozens of batches: the server is still streaming when the first one is refused.
            let failure = Result {
                try session.execute(sql: "SELECT id, repeat('x', 100) AS pad FROM range(0, 300000)") { _ in throw Enough() }
            }
            return (failure, try session.collect("SELECT 5").summary.rowCount)
        }
        guard case .failure(let error) = failure else {
            Issue.record("expected the callback's error, got \(failure)")
            return
        }
        #expect(error is Enough, "\(error)")
        #expect(after == 1)
    }

    @Test func closedSessionRefusesWork() async throws {
        let failure = try await SparkServer.withSession { session in
            session.close()
            session.close()
            return Result { try session.collect("SELECT 1") }.map(\.summary)
        }
        guard case .failure(let error as SparkConnectError) = failure else {
            Issue.record("a closed session ran a query: \(failure)")
            return
        }
        #expect(error.kind == .sessionClosed)
    }
}
#endif
