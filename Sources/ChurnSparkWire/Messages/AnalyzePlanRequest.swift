/// `spark.connect.AnalyzePlanRequest` asking for the server's Spark version.
///
/// The version question needs no plan, which makes it the cheapest round trip that proves the
/// server is a Spark Connect server; the session uses it to check a connection.
package struct AnalyzePlanRequest: Sendable, Equatable {
    package var header: RequestHeader

    package init(sparkVersionFor header: RequestHeader) {
        self.header = header
    }

    enum FieldNumber {
        static let sparkVersion = 10
        static let observedServerSideSessionID = 17
    }

    package func encoded() -> [UInt8] {
        var writer = ProtobufWriter()
        header.encodeLeadingFields(into: &writer)
        writer.writeMessage(field: FieldNumber.sparkVersion) { _ in }
        if let observed = header.observedServerSideSessionID {
            writer.writeStringAlways(field: FieldNumber.observedServerSideSessionID, observed)
        }
        return writer.bytes
    }
}
