#if Spark
import GRPCCore

/// Hands gRPC's message bytes over unchanged; decoding happens where the message type is known.
struct RawBytesDeserializer: MessageDeserializer {
    func deserialize<Bytes: GRPCContiguousBytes>(_ serializedMessageBytes: Bytes) throws -> [UInt8] {
        serializedMessageBytes.withUnsafeBytes { Array($0) }
    }
}
#endif
