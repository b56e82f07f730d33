/// `spark.connect.InterruptResponse`: the operations the server actually interrupted.
///
/// An empty list is normal when the operation had already finished.
package struct InterruptResponse: Sendable, Equatable {
    package var sessionID = ""
    package var serverSideSessionID = ""
    package var interruptedIDs: [String] = []

    package init() {}

    package init(decoding bytes: [UInt8]) throws {
        var reader = ProtobufReader(bytes)
        let name = "InterruptResponse"
        while let field = try reader.nextField() {
            switch field.number {
            case 1: sessionID = try field.string(in: name)
            case 2: interruptedIDs.append(try field.string(in: name))
            case 3: serverSideSessionID = try field.string(in: name)
            default: continue
            }
        }
    }
}
