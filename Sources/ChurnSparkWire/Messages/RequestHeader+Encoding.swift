extension RequestHeader {
    /// Writes session id, user context and client type, for the requests that number them
    /// 1, 2, 3 (AnalyzePlan, Interrupt, ReleaseSession; ExecutePlan numbers client_type 4).
    func encodeLeadingFields(into writer: inout ProtobufWriter) {
        writer.writeString(field: 1, sessionID)
        writer.writeMessage(field: 2) { userContext.encode(into: &$0) }
        if let clientType {
            writer.writeStringAlways(field: 3, clientType)
        }
    }
}
