#if Spark
import GRPCCore

/// Passes already-encoded protobuf bytes to gRPC unchanged: the messages encode themselves.
struct RawBytesSerializer: MessageSerializer {
    func serialize<Bytes: GRPCContiguousBytes>(_ message: [UInt8]) throws -> Bytes {
        Bytes(message)
    }
}
#endif
