import ChurnSpark
import Foundation

/// The Spark that the integration tests run against, as `.ci/run` describes it in the
/// environment: `SPARK_CONNECT_URL` (a Connect server in local mode), `SPARK_CLUSTER_URL` and
/// `SPARK_CLUSTER_REST` (one whose executors run on a standalone cluster). Outside `.ci/run`
/// the tests are skipped, saying why; with `CHURNCUBE_REQUIRE_SPARK=1` (as `.ci/run` sets it)
/// they run and fail without a server.
package enum SparkTestEnvironment {
    package static let variables = ProcessInfo.processInfo.environment
    package static var url: String? { value("SPARK_CONNECT_URL") }
    package static var clusterURL: String? { value("SPARK_CLUSTER_URL") }
    package static var clusterREST: String? { value("SPARK_CLUSTER_REST") }
    package static var isRequired: Bool { variables["CHURNCUBE_REQUIRE_SPARK"] == "1" }
    package static var isEnabled: Bool { isRequired || (url != nil && SparkConnection.isAvailable) }
    package static var isClusterEnabled: Bool { isRequired || (clusterURL != nil && clusterREST != nil && SparkConnection.isAvailable) }
    package static let skipReason = "needs a Spark Connect server: run .ci/run, or build with --traits Spark and set SPARK_CONNECT_URL"
    package static let clusterSkipReason = "needs a Spark standalone cluster: run .ci/run, or start one with .ci/spark-cluster-start and set SPARK_CLUSTER_URL and SPARK_CLUSTER_REST"

    private static func value(_ name: String) -> String? {
        variables[name].flatMap { $0.isEmpty ? nil : $0 }
    }
}

package struct SparkTestUnavailable: Error, CustomStringConvertible {
    package var description: String
    package init(_ description: String) { self.description = description }
}

/// Runs `body` on a thread of its own and awaits it. The Spark client blocks its caller while
/// its own tasks talk to the server, so it must not be called from a thread of Swift's
/// cooperative pool, which test functions run on (and which has one thread per core).
package func offCooperativePool<Value: Sendable>(_ body: @escaping @Sendable () throws -> Value) async throws -> Value {
    try await withCheckedThrowingContinuation { continuation in
        let thread = Thread {
            do { continuation.resume(returning: try body()) } catch { continuation.resume(throwing: error) }
        }
        thread.stackSize = 8 << 20
        thread.start()
    }
}
