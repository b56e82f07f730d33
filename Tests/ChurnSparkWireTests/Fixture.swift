import Foundation

/// Loads a byte fixture written by `Fixtures/make_fixtures.py`.
enum Fixture {
    static let sessionID = "00112233-4455-4677-8899-aabbccddeeff"
    static let operationID = "0f1e2d3c-4b5a-4968-8776-655443322110"
    static let serverSessionID = "99999999-8888-4777-a666-555555555555"

    static func bytes(_ name: String) throws -> [UInt8] {
        guard let url = Bundle.module.url(forResource: name, withExtension: "bin", subdirectory: "Fixtures") else {
            throw CocoaError(.fileNoSuchFile, userInfo: [NSFilePathErrorKey: "Fixtures/\(name).bin"])
        }
        return Array(try Data(contentsOf: url))
    }
}
