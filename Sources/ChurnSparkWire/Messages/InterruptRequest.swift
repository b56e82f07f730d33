/// `spark.connect.InterruptRequest` that stops one operation by its id.
package struct InterruptRequest: Sendable, Equatable {
    package var header: RequestHeader
    package var operationID: String

    package init(header: RequestHeader, operationID: String) {
        self.header = header
        self.operationID = operationID
    }

    enum FieldNumber {
        static let interruptType = 4
        static let operationID = 6
        static let observedServerSideSessionID = 7
        /// `InterruptRequest.InterruptType.INTERRUPT_TYPE_OPERATION_ID`
        static let interruptTypeOperationID: UInt64 = 3
    }

    package func encoded() -> [UInt8] {
        var writer = ProtobufWriter()
        header.encodeLeadingFields(into: &writer)
        writer.writeVarint(field: FieldNumber.interruptType, FieldNumber.interruptTypeOperationID)
        writer.writeStringAlways(field: FieldNumber.operationID, operationID)
        if let observed = header.observedServerSideSessionID {
            writer.writeStringAlways(field: FieldNumber.observedServerSideSessionID, observed)
        }
        return writer.bytes
    }
}
