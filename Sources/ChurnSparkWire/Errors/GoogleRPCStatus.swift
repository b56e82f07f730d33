/// `google.rpc.Status`, the richer error a gRPC server may put in the `grpc-status-details-bin` trailer.
///
/// Its `details` are `google.protobuf.Any` values; the ones this client reads are `ErrorInfo`.
package struct GoogleRPCStatus: Sendable, Equatable {
    /// `google.protobuf.Any`: a type URL and the packed message.
    package struct AnyMessage: Sendable, Equatable {
        package var typeURL = ""
        package var value: [UInt8] = []

        package init(typeURL: String = "", value: [UInt8] = []) {
            self.typeURL = typeURL
            self.value = value
        }

        /// The message name after the last "/" of the type URL (`google.rpc.ErrorInfo`).
        package var typeName: Substring {
            typeURL.split(separator: "/").last ?? ""
        }
    }

    package var code: Int32 = 0
    package var message = ""
    package var details: [AnyMessage] = []

    package init(code: Int32 = 0, message: String = "", details: [AnyMessage] = []) {
        self.code = code
        self.message = message
        self.details = details
    }

    package init(decoding bytes: [UInt8]) throws {
        var reader = ProtobufReader(bytes)
        let name = "google.rpc.Status"
        while let field = try reader.nextField() {
            switch field.number {
            case 1: code = try field.int32(in: name)
            case 2: message = try field.string(in: name)
            case 3:
                var any = try field.nested(in: name)
                var detail = AnyMessage()
                while let inner = try any.nextField() {
                    switch inner.number {
                    case 1: detail.typeURL = try inner.string(in: "google.protobuf.Any")
                    case 2: detail.value = try inner.bytes(in: "google.protobuf.Any")
                    default: continue
                    }
                }
                details.append(detail)
            default: continue
            }
        }
    }

    /// The first `ErrorInfo` detail, if any decodes.
    package var errorInfo: ErrorInfo? {
        for detail in details where detail.typeName == "google.rpc.ErrorInfo" {
            if let info = try? ErrorInfo(decoding: detail.value) { return info }
        }
        return nil
    }
}
