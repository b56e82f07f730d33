/// `spark.connect.ExecutePlanResponse`: one message of the ExecutePlan stream.
///
/// The `response_type` oneof becomes `payload`; cases this client does not use are kept as their
/// field number so the caller can tell "something else" from "nothing". Unknown fields are skipped.
package struct ExecutePlanResponse: Sendable, Equatable {
    package enum Payload: Sendable, Equatable {
        case none
        case arrowBatch(ArrowBatch)
        /// The server's end-of-results marker; sent for reattachable executions.
        case resultComplete
        case executionProgress(ExecutionProgress)
        /// The result of a command (DDL, SET...), holding a relation the client may fetch.
        case sqlCommandResult
        case other(field: Int)
    }

    package var sessionID = ""
    package var serverSideSessionID = ""
    package var operationID = ""
    package var responseID = ""
    package var payload: Payload = .none
    /// `schema` (a `spark.connect.DataType`), undecoded: the Arrow data carries its own schema.
    package var schema: [UInt8]?

    package init() {}

    enum FieldNumber {
        static let sessionID = 1
        static let arrowBatch = 2
        static let metrics = 4
        static let sqlCommandResult = 5
        static let schema = 7
        static let operationID = 12
        static let responseID = 13
        static let resultComplete = 14
        static let serverSideSessionID = 15
        static let executionProgress = 18
        /// The other `response_type` members in Spark 4.x; anything else is an ordinary unknown field.
        static let otherPayloads: Set<Int> = [8, 9, 10, 11, 16, 17, 19, 20, 21, 22, 23, 999]
    }

    package init(decoding bytes: [UInt8]) throws {
        var reader = ProtobufReader(bytes)
        let name = "ExecutePlanResponse"
        while let field = try reader.nextField() {
            switch field.number {
            case FieldNumber.sessionID: sessionID = try field.string(in: name)
            case FieldNumber.serverSideSessionID: serverSideSessionID = try field.string(in: name)
            case FieldNumber.operationID: operationID = try field.string(in: name)
            case FieldNumber.responseID: responseID = try field.string(in: name)
            case FieldNumber.arrowBatch: payload = .arrowBatch(try ArrowBatch(reading: field.nested(in: name)))
            case FieldNumber.resultComplete:
                _ = try field.nested(in: name)
                payload = .resultComplete
            case FieldNumber.executionProgress: payload = .executionProgress(try ExecutionProgress(reading: field.nested(in: name)))
            case FieldNumber.sqlCommandResult:
                _ = try field.nested(in: name)
                payload = .sqlCommandResult
            case FieldNumber.schema: schema = try field.bytes(in: name)
            case let number where FieldNumber.otherPayloads.contains(number):
                payload = .other(field: number)
            default: continue
            }
        }
    }
}
