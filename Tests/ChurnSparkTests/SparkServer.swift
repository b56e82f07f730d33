#if Spark
import Foundation
import SparkTestSupport
import Testing
@testable import ChurnSpark
@testable import ChurnSparkWire

/// The server the integration tests talk to: `SPARK_CONNECT_URL`, e.g. sc://127.0.0.1:15102
/// (.ci/run starts one; by hand: .ci/spark-connect-start). Without it those tests are skipped.
enum SparkServer {
    static let urlText = ProcessInfo.processInfo.environment["SPARK_CONNECT_URL"]
    static let isConfigured = urlText != nil
    /// A second server, there to be killed by ServerKilledTests: its URL and its pid file
    /// (`.ci/run` starts it beside the first).
    static let killURLText = ProcessInfo.processInfo.environment["SPARK_CONNECT_KILL_URL"]
    static let killPidFile = ProcessInfo.processInfo.environment["SPARK_CONNECT_KILL_PIDFILE"]
    static let skipReason: Comment = "SPARK_CONNECT_URL is not set; run .ci/run, or start a server with .ci/spark-connect-start 15102 PIDFILE LOGFILE and set SPARK_CONNECT_URL=sc://127.0.0.1:15102"

    /// Opens a session, runs `body` and closes the session, all on a thread of its own.
    static func withSession<Value: Sendable>(url: String? = urlText, _ body: @escaping @Sendable (SparkConnectSession) throws -> Value) async throws -> Value {
        let text = try #require(url)
        return try await offCooperativePool {
            let session = try SparkConnectSession(url: try SparkConnectURL(parsing: text), connectTimeout: .seconds(20))
            defer { session.close() }
            return try body(session)
        }
    }
}

/// What one query delivered: its summary and the Arrow streams.
struct QueryOutcome: Sendable {
    var summary: ExecutionSummary
    var batches: [[UInt8]]
}

extension SparkConnectSession {
    func collect(_ sql: String, timeout: Duration? = nil) throws -> QueryOutcome {
        var batches: [[UInt8]] = []
        let summary = try execute(sql: sql, timeout: timeout) { batches.append($0) }
        return QueryOutcome(summary: summary, batches: batches)
    }
}

extension Array where Element == UInt8 {
    /// Arrow IPC streams start with the continuation marker 0xFFFFFFFF.
    var startsLikeArrowIPC: Bool { count > 8 && self[0..<4] == [0xFF, 0xFF, 0xFF, 0xFF] }
}
#endif
