/// Message.fbs `FieldNode`: how many values a column has in a batch and how many are null.
struct ArrowFieldNode {
    let length: Int64
    let nullCount: Int64

    /// The struct's size in a `nodes` vector: two longs.
    static let size = 16

    init(_ nodes: FlatBufferVector, at index: Int) throws(ArrowError) {
        length = try nodes.structMember(Int64.self, at: index, memberOffset: 0)
        nullCount = try nodes.structMember(Int64.self, at: index, memberOffset: 8)
    }
}
