import Testing
@testable import ChurnSparkWire

/// Responses written by pyspark's generated code, decoded by hand-written readers.
@Suite struct ResponseDecodingTests {
    @Test func arrowBatchWithUnknownFieldsAround() throws {
        let response = try ExecutePlanResponse(decoding: Fixture.bytes("execute_plan_response_arrow"))
        #expect(response.sessionID == Fixture.sessionID)
        #expect(response.serverSideSessionID == Fixture.serverSessionID)
        #expect(response.operationID == Fixture.operationID)
        #expect(response.responseID == "r-1")
        guard case .arrowBatch(let batch) = response.payload else {
            Issue.record("expected an Arrow batch, got \(response.payload)")
            return
        }
        #expect(batch.rowCount == 3_000_000_000)
        let pattern: [UInt8] = (0...255).map { UInt8($0) }
        #expect(batch.data == pattern + pattern + pattern)
        #expect(batch.startOffset == 0)
        #expect(batch.chunkIndex == nil)
    }

    @Test func schemaOnlyResponseHasNoPayload() throws {
        let response = try ExecutePlanResponse(decoding: Fixture.bytes("execute_plan_response_schema"))
        #expect(response.payload == .none)
        #expect(response.schema?.isEmpty == false)
        #expect(response.responseID == "r-0")
    }

    @Test func metricsOnlyResponseHasNoPayload() throws {
        let response = try ExecutePlanResponse(decoding: Fixture.bytes("execute_plan_response_metrics"))
        #expect(response.payload == .none)
        #expect(response.responseID == "r-2")
    }

    @Test func executionProgress() throws {
        let response = try ExecutePlanResponse(decoding: Fixture.bytes("execute_plan_response_progress"))
        let expected = ExecutionProgress(
            stages: [
                .init(stageID: 4, taskCount: 10, completedTaskCount: 7, inputBytesRead: 1 << 40, isDone: false),
                .init(stageID: 5, taskCount: 2, completedTaskCount: 2, inputBytesRead: 0, isDone: true),
            ],
            inflightTaskCount: 2
        )
        #expect(response.payload == .executionProgress(expected))
        #expect(expected.fractionDone == 0.75)
    }

    @Test func resultComplete() throws {
        let response = try ExecutePlanResponse(decoding: Fixture.bytes("execute_plan_response_complete"))
        #expect(response.payload == .resultComplete)
        #expect(response.responseID == "r-4")
    }

    @Test func sqlCommandResult() throws {
        let response = try ExecutePlanResponse(decoding: Fixture.bytes("execute_plan_response_command"))
        #expect(response.payload == .sqlCommandResult)
    }

    @Test func sparkVersion() throws {
        let response = try AnalyzePlanResponse(decoding: Fixture.bytes("analyze_spark_version_response"))
        #expect(response.sparkVersion == "4.3.0")
        #expect(response.serverSideSessionID == Fixture.serverSessionID)
    }

    @Test func interruptResponse() throws {
        let response = try InterruptResponse(decoding: Fixture.bytes("interrupt_response"))
        #expect(response.interruptedIDs == [Fixture.operationID, "other"])
        #expect(response.serverSideSessionID == Fixture.serverSessionID)
    }

    @Test func sparkErrorDetailsFromStatus() throws {
        let bytes = try Fixture.bytes("google_rpc_status")
        let status = try GoogleRPCStatus(decoding: bytes)
        #expect(status.code == 13)
        #expect(status.details.count == 2)
        #expect(status.errorInfo?.domain == "org.apache.spark")

        let details = SparkErrorDetails(statusMessage: "", statusDetails: bytes)
        #expect(details.errorClass == "TABLE_OR_VIEW_NOT_FOUND")
        #expect(details.sqlState == "42P01")
        #expect(details.errorID == "e-1")
        #expect(details.exceptionClass == "org.apache.spark.sql.AnalysisException")
        #expect(details.message == "[TABLE_OR_VIEW_NOT_FOUND] The table or view `nope` cannot be found.")
    }

    @Test func corruptStatusDetailsStillKeepTheMessage() {
        let details = SparkErrorDetails(statusMessage: "boom", statusDetails: [0x0A, 0x7F, 0x01])
        #expect(details.message == "boom")
        #expect(details.errorClass == nil)
    }
}
