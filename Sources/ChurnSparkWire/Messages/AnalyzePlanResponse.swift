/// `spark.connect.AnalyzePlanResponse`, reduced to the session ids and the Spark version.
package struct AnalyzePlanResponse: Sendable, Equatable {
    package var sessionID = ""
    package var serverSideSessionID = ""
    /// Set when the response answers a spark_version request.
    package var sparkVersion: String?

    package init() {}

    enum FieldNumber {
        static let sessionID = 1
        static let sparkVersion = 8
        static let serverSideSessionID = 15
        static let version = 1
    }

    package init(decoding bytes: [UInt8]) throws {
        var reader = ProtobufReader(bytes)
        let name = "AnalyzePlanResponse"
        while let field = try reader.nextField() {
            switch field.number {
            case FieldNumber.sessionID: sessionID = try field.string(in: name)
            case FieldNumber.serverSideSessionID: serverSideSessionID = try field.string(in: name)
            case FieldNumber.sparkVersion:
                var version = try field.nested(in: name)
                sparkVersion = ""
                while let inner = try version.nextField() {
                    if inner.number == FieldNumber.version {
                        sparkVersion = try inner.string(in: "AnalyzePlanResponse.SparkVersion")
                    }
                }
            default: continue
            }
        }
    }
}
