import Testing
@testable import ChurnSparkWire

/// Requests encoded here must equal, byte for byte, what pyspark's generated code writes.
@Suite struct RequestEncodingTests {
    let analyst = UserContext(userID: "analyst", userName: "Ana Lyst")

    var fullHeader: RequestHeader {
        RequestHeader(sessionID: Fixture.sessionID, userContext: analyst, clientType: "churncube/0.1", observedServerSideSessionID: Fixture.serverSessionID)
    }

    @Test func executePlanWithEveryField() throws {
        let request = ExecutePlanRequest(
            header: fullHeader,
            sqlQuery: "SELECT region, count(*) FROM t GROUP BY region -- é",
            operationID: Fixture.operationID,
            reattachable: false,
            tags: ["churncube", "q1"]
        )
        #expect(request.encoded() == (try Fixture.bytes("execute_plan_request_full")))
    }

    @Test func executePlanMinimal() throws {
        let header = RequestHeader(sessionID: Fixture.sessionID, userContext: UserContext(userID: "u"))
        let request = ExecutePlanRequest(header: header, sqlQuery: "SELECT 1", reattachable: nil)
        #expect(request.encoded() == (try Fixture.bytes("execute_plan_request_minimal")))
    }

    @Test func executePlanReattachable() throws {
        let header = RequestHeader(sessionID: Fixture.sessionID, userContext: UserContext(userID: "u"))
        let request = ExecutePlanRequest(header: header, sqlQuery: "SELECT 1", reattachable: true)
        #expect(request.encoded() == (try Fixture.bytes("execute_plan_request_reattachable")))
    }

    @Test func executePlanLongQueryNeedsMultiByteLengths() throws {
        let header = RequestHeader(sessionID: Fixture.sessionID, userContext: UserContext(userID: "u"))
        let query = "SELECT " + (0..<3000).map { "\($0) AS c\($0)" }.joined(separator: ", ")
        let request = ExecutePlanRequest(header: header, sqlQuery: query, reattachable: nil)
        let expected = try Fixture.bytes("execute_plan_request_long")
        #expect(expected.count > 16_384)
        #expect(request.encoded() == expected)
    }

    @Test func analyzeSparkVersion() throws {
        #expect(AnalyzePlanRequest(sparkVersionFor: fullHeader).encoded() == (try Fixture.bytes("analyze_spark_version_request")))
    }

    @Test func interruptByOperationID() throws {
        let request = InterruptRequest(header: fullHeader, operationID: Fixture.operationID)
        #expect(request.encoded() == (try Fixture.bytes("interrupt_request")))
    }

    @Test func releaseSession() throws {
        // ReleaseSessionRequest has no observed-server-session field; the header's is not sent.
        let request = ReleaseSessionRequest(header: fullHeader)
        #expect(request.encoded() == (try Fixture.bytes("release_session_request")))
    }
}
