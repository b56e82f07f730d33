/// `google.rpc.ErrorInfo`: a machine-readable reason plus string metadata.
///
/// Spark sets `reason` to the exception class (`org.apache.spark.sql.AnalysisException`) and puts
/// the error class, SQL state and message parameters in `metadata`.
package struct ErrorInfo: Sendable, Equatable {
    package var reason = ""
    package var domain = ""
    package var metadata: [String: String] = [:]

    package init(reason: String = "", domain: String = "", metadata: [String: String] = [:]) {
        self.reason = reason
        self.domain = domain
        self.metadata = metadata
    }

    package init(decoding bytes: [UInt8]) throws {
        var reader = ProtobufReader(bytes)
        let name = "google.rpc.ErrorInfo"
        while let field = try reader.nextField() {
            switch field.number {
            case 1: reason = try field.string(in: name)
            case 2: domain = try field.string(in: name)
            case 3:
                // A map entry is a nested message {key = 1, value = 2}; either may be absent (empty).
                var entry = try field.nested(in: name)
                var key = ""
                var value = ""
                while let inner = try entry.nextField() {
                    switch inner.number {
                    case 1: key = try inner.string(in: "ErrorInfo.MetadataEntry")
                    case 2: value = try inner.string(in: "ErrorInfo.MetadataEntry")
                    default: continue
                    }
                }
                metadata[key] = value
            default: continue
            }
        }
    }
}
