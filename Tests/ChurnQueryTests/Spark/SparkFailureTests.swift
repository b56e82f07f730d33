import ChurnModel
import ChurnQuery
import ChurnSpark
import Foundation
import SparkTestSupport
import Testing

/// What a user sees when Spark cannot answer: each is one clear error, never a hang.
@Suite(.enabled(if: SparkTestServer.isEnabled, SparkTestServer.skipReason))
struct SparkFailureTests {
    static let definition: CubeDefinition = {
        try! CubeDefinition.load(path: PackagePaths.path("Cubes/subscriptions.yaml"))
    }()

    /// The message of the error `body` throws, off the cooperative pool; `succeeded` when it
    /// throws none.
    static func failure(_ body: @escaping @Sendable () throws -> Void) async throws -> String {
        try await offCooperativePool { () -> String in
            do {
                try body()
                return "succeeded"
            } catch {
                return "\(error)"
            }
        }
    }

    @Test func anUnknownTableIsNamed() async throws {
        let url = try #require(SparkTestServer.url)
        let message = try await Self.failure {
            let connection = try SparkConnection.open(url: url, table: "no_such_facts")
            _ = try RemoteCubeOpener(definition: Self.definition, connection: connection).open()
        }
        #expect(message.contains("TABLE_OR_VIEW_NOT_FOUND"), "\(message)")
        #expect(message.contains("no_such_facts"), "\(message)")
    }

    @Test func aTableWithoutTheCubesColumnsIsRefused() async throws {
        let url = try #require(SparkTestServer.url)
        let message = try await Self.failure {
            let connection = try SparkConnection.open(url: url, table: "narrow")
            _ = try connection.run("CREATE OR REPLACE TEMPORARY VIEW narrow AS SELECT 'A1' AS account_id, 'x' AS mrr_start", cancellation: .never)
            _ = try RemoteCubeOpener(definition: Self.definition, connection: connection).open()
        }
        #expect(message.hasPrefix("the table narrow on Spark "), "\(message)")
        #expect(message.contains("has no columns period, cohort, channel"), "\(message)")
    }

    @Test func aServerThatIsNotThereFailsAtOnce() async throws {
        let started = ContinuousClock.now
        let message = try await Self.failure { _ = try SparkConnection.open(url: "sc://127.0.0.1:9", table: "facts") }
        #expect(message.contains("127.0.0.1:9"), "\(message)")
        #expect(message.contains("connection refused"), "\(message)")
        #expect(started.duration(to: .now) < .seconds(15))
    }

    @Test func aTypeTheReaderDoesNotKnowIsNamed() async throws {
        let url = try #require(SparkTestServer.url)
        let message = try await Self.failure {
            let connection = try SparkConnection.open(url: url, table: "facts")
            _ = try connection.run("SELECT TIMESTAMP '2025-01-01 00:00:00' AS opened_at", cancellation: .never)
        }
        #expect(message.contains("column 'opened_at' has Arrow type timestamp"), "\(message)")
    }

    @Test func aBadConnectionStringSaysWhatIsExpected() async throws {
        let message = try await Self.failure { _ = try SparkConnection.open(url: "http://127.0.0.1:15002", table: "facts") }
        #expect(message.contains("sc://"), "\(message)")
    }
}
