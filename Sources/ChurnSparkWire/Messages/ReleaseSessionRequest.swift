/// `spark.connect.ReleaseSessionRequest`: frees the session's state (temporary views, cached plans) on the server.
///
/// Its response carries only the session ids, so the client does not decode it.
package struct ReleaseSessionRequest: Sendable, Equatable {
    package var header: RequestHeader
    /// Lets a later request with the same session id start a fresh session instead of failing.
    package var allowReconnect: Bool

    package init(header: RequestHeader, allowReconnect: Bool = false) {
        self.header = header
        self.allowReconnect = allowReconnect
    }

    package func encoded() -> [UInt8] {
        var writer = ProtobufWriter()
        header.encodeLeadingFields(into: &writer)
        writer.writeBool(field: 4, allowReconnect)
        return writer.bytes
    }
}
