/// `spark.connect.ExecutePlanRequest` for a plan whose root is one SQL relation.
///
/// `reattachable` is sent as a request option when set. A reattachable execution may end a
/// stream early and expects the client to call ReattachExecute; this client asks for a
/// non-reattachable execution, whose single stream runs until the result is complete.
package struct ExecutePlanRequest: Sendable, Equatable {
    package var header: RequestHeader
    package var sqlQuery: String
    package var operationID: String?
    package var reattachable: Bool?
    package var tags: [String]

    package init(header: RequestHeader, sqlQuery: String, operationID: String? = nil, reattachable: Bool? = false, tags: [String] = []) {
        self.header = header
        self.sqlQuery = sqlQuery
        self.operationID = operationID
        self.reattachable = reattachable
        self.tags = tags
    }

    enum FieldNumber {
        static let sessionID = 1
        static let userContext = 2
        static let plan = 3
        static let clientType = 4
        static let requestOptions = 5
        static let operationID = 6
        static let tags = 7
        static let observedServerSideSessionID = 8
        // spark.connect.Plan.root, Relation.sql, SQL.query
        static let planRoot = 1
        static let relationSQL = 10
        static let sqlQuery = 1
        // spark.connect.ExecutePlanRequest.RequestOption.reattach_options, ReattachOptions.reattachable
        static let optionReattach = 1
        static let reattachable = 1
    }

    /// Fields in ascending number order, as protobuf's reference encoders write them.
    package func encoded() -> [UInt8] {
        var writer = ProtobufWriter()
        writer.writeString(field: FieldNumber.sessionID, header.sessionID)
        writer.writeMessage(field: FieldNumber.userContext) { header.userContext.encode(into: &$0) }
        writer.writeMessage(field: FieldNumber.plan) { plan in
            plan.writeMessage(field: FieldNumber.planRoot) { relation in
                relation.writeMessage(field: FieldNumber.relationSQL) { sql in
                    sql.writeString(field: FieldNumber.sqlQuery, sqlQuery)
                }
            }
        }
        if let clientType = header.clientType {
            writer.writeStringAlways(field: FieldNumber.clientType, clientType)
        }
        if let reattachable {
            writer.writeMessage(field: FieldNumber.requestOptions) { option in
                option.writeMessage(field: FieldNumber.optionReattach) { $0.writeBool(field: FieldNumber.reattachable, reattachable) }
            }
        }
        if let operationID {
            writer.writeStringAlways(field: FieldNumber.operationID, operationID)
        }
        for tag in tags {
            writer.writeStringAlways(field: FieldNumber.tags, tag)
        }
        if let observed = header.observedServerSideSessionID {
            writer.writeStringAlways(field: FieldNumber.observedServerSideSessionID, observed)
        }
        return writer.bytes
    }
}
