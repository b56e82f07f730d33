#if Spark
import GRPCCore
import Testing
@testable import ChurnSpark
@testable import ChurnSparkWire

@Suite struct SparkConnectErrorTests {
    @Test func analysisErrorLosesThePlanDump() {
        let message = """
            [TABLE_OR_VIEW_NOT_FOUND] The table or view `nope` cannot be found. Verify the spelling.
            To tolerate the error on drop use DROP VIEW IF EXISTS or DROP TABLE IF EXISTS. SQLSTATE: 42P01; line 1 pos 14;
            'Project [*]
            +- 'UnresolvedRelation [nope], [], false

            """
        let error = SparkConnectError(.server(SparkErrorDetails(message: message, errorClass: "TABLE_OR_VIEW_NOT_FOUND")))
        #expect(error.description == """
            Spark reported an error: [TABLE_OR_VIEW_NOT_FOUND] The table or view `nope` cannot be found. Verify the spelling.
            To tolerate the error on drop use DROP VIEW IF EXISTS or DROP TABLE IF EXISTS. SQLSTATE: 42P01; line 1 pos 14
            """)
    }

    @Test func resolvedPlanDumpIsCutToo() {
        let message = "[UNRESOLVED_COLUMN] A column `zz` cannot be resolved. SQLSTATE: 42703; line 1 pos 7;\nProject [id#1L]\n+- Range (0, 10, step=1)\n"
        let error = SparkConnectError(.server(SparkErrorDetails(message: message)))
        #expect(error.description == "Spark reported an error: [UNRESOLVED_COLUMN] A column `zz` cannot be resolved. SQLSTATE: 42703; line 1 pos 7")
    }

    @Test func errorClassIsAddedWhenTheMessageLacksIt() {
        let error = SparkConnectError(.server(SparkErrorDetails(message: "Division by zero.", errorClass: "DIVIDE_BY_ZERO")))
        #expect(error.description == "Spark reported an error: [DIVIDE_BY_ZERO] Division by zero.")
    }

    @Test func connectionErrorsNameTheEndpoint() {
        #expect(SparkConnectError(.unreachable(endpoint: "h:1", reason: "connection refused")).description
            == "Cannot reach the Spark Connect server at h:1 (connection refused); check that it is running and that the URL is right.")
        #expect(SparkConnectError(.lostConnection(endpoint: "h:1", reason: "connection reset by the server")).description.contains("no result was kept"))
        #expect(SparkConnectError(.timeout(.milliseconds(2500))).description.hasPrefix("The query did not finish within 2.5 s"))
    }

    @Test func connectionFailuresGetAShortReason() {
        func reason(_ message: String) -> String {
            SparkConnectSession.connectionFailureReason(RPCError(code: .unavailable, message: message))
        }
        #expect(reason("Could not connect: Connection refused (errno: 111)") == "connection refused")
        #expect(reason("Connection reset by peer") == "connection reset by the server")
        // A channel waiting to retry after its connection failed says so in gRPC's words.
        #expect(reason("Channel isn't ready, no subchannel available.") == "the connection is down and reconnecting has failed so far")
        #expect(reason("something else entirely") == "something else entirely")
    }

    @Test func aRestartedServerNeedsANewSession() {
        let changed = SparkErrorDetails(message: "The existing Spark server driver instance has restarted.", errorClass: "INVALID_HANDLE.SESSION_CHANGED")
        #expect(SparkConnectError(.server(changed)).requiresNewSession)
        #expect(!SparkConnectError(.server(SparkErrorDetails(message: "x", errorClass: "TABLE_OR_VIEW_NOT_FOUND"))).requiresNewSession)
        #expect(!SparkConnectError(.cancelled).requiresNewSession)
    }
}
#endif
