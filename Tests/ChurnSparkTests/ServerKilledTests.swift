#if Spark
import Foundation
import Testing
@testable import ChurnSpark
@testable import ChurnSparkWire

/// Kills a server in the middle of a query, so it runs only on a server there to be killed:
/// SPARK_CONNECT_KILL_URL and SPARK_CONNECT_KILL_PIDFILE (the pid file of .ci/spark-connect-start),
/// which `.ci/run` sets; optionally SPARK_CONNECT_KILL_SIGNAL (KILL by default, or TERM). The
/// server is gone afterwards.
@Suite(.enabled(if: SparkServer.killPidFile != nil && SparkServer.killURLText != nil,
                "set SPARK_CONNECT_KILL_URL and SPARK_CONNECT_KILL_PIDFILE to kill a server mid-query"))
struct ServerKilledTests {
    static let signalName = ProcessInfo.processInfo.environment["SPARK_CONNECT_KILL_SIGNAL"] ?? "KILL"

    @Test func serverKilledMidQueryIsALostConnection() async throws {
        let pidText = try String(contentsOfFile: try #require(SparkServer.killPidFile), encoding: .utf8)
        let pid = try #require(pid_t(pidText.trimmingCharacters(in: .whitespacesAndNewlines)))
        let signal = Self.signalName == "TERM" ? SIGTERM : SIGKILL
        let (failure, afterKill, batchCount, next, nextTook) = try await SparkServer.withSession(url: SparkServer.killURLText) { session in
            let started = ContinuousClock.now
            var killedAt: ContinuousClock.Instant?
            var batches = 0
            let failure = Result {
                try session.execute(
                    sql: "SELECT count(*) FROM range(0, 100000000000)",
                    isCancelled: { false },
                    onBatch: { _ in batches += 1 },
                    progress: { _ in
                        // Progress reports prove the query is running on the server.
                        if killedAt == nil && started.duration(to: .now) > .seconds(3) {
                            killedAt = .now
                            kill(pid, signal)
                        }
                    }
                )
            }
            let noticed = killedAt.map { $0.duration(to: .now) }
            // With the server gone, the next query on the same session cannot connect.
            let nextStarted = ContinuousClock.now
            let next = Result { try session.execute(sql: "SELECT 1") { _ in } }
            return (failure, noticed, batches, next, nextStarted.duration(to: .now))
        }
        let took = try #require(afterKill, "the query ended before the server was killed: \(failure)")
        guard case .failure(let error as SparkConnectError) = failure else {
            Issue.record("the query succeeded although the server was killed: \(failure)")
            return
        }
        print("server killed with SIG\(Self.signalName): \(error.description) (after \(took))")
        switch error.kind {
        case .lostConnection:
            break
        case .server where signal == SIGTERM:
            // Spark's shutdown hook stops the SparkContext first, so the running query fails
            // with "Cannot call methods on a stopped SparkContext" before the socket closes.
            break
        default:
            Issue.record("expected a lost connection, got \(error)")
        }
        #expect(batchCount == 0)
        #expect(took < .seconds(10), "noticed \(took) after the kill")

        guard case .failure(let nextError as SparkConnectError) = next else {
            Issue.record("the next query succeeded without a server: \(next)")
            return
        }
        print("next query: \(nextError.description) (after \(nextTook))")
        switch nextError.kind {
        case .unreachable(_, let reason):
            // The dead server's port refuses, a connection its last moments accepted is reset
            // or found closed when the request goes out, or the channel is between retries.
            #expect([
                "connection refused", "connection reset by the server", "the connection closed unexpectedly",
                "the connection is down and reconnecting has failed so far",
            ].contains(reason), "\(reason)")
        case _ where signal == SIGTERM:
            // A server shutting down may still take the request on the old connection and then
            // fail it either way (stopped SparkContext, or the connection closing).
            break
        default:
            Issue.record("expected the next query to find no server, got \(nextError)")
        }
        #expect(nextTook < .seconds(10))
    }
}
#endif
