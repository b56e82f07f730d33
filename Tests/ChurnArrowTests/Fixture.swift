import Foundation
@testable import ChurnArrow

/// The `.arrows` files that Fixtures/make_fixtures.py writes with pyarrow.
enum Fixture {
    static func bytes(_ name: String) -> [UInt8] {
        guard let directory = Bundle.module.url(forResource: "Fixtures", withExtension: nil),
              let data = FileManager.default.contents(atPath: directory.appendingPathComponent(name).path) else {
            fatalError("missing fixture \(name); run Fixtures/make_fixtures.py")
        }
        return [UInt8](data)
    }

    static func read(_ name: String) throws -> ArrowStream {
        try ArrowStreamReader.read(bytes(name))
    }

    /// The error reading the fixture gives, or nil when it decodes.
    static func error(_ bytes: [UInt8]) -> ArrowError? {
        do {
            _ = try ArrowStreamReader.read(bytes)
            return nil
        } catch {
            return error
        }
    }

    /// Every fixture pyarrow writes that decodes without error.
    static let decodable = [
        "integers.arrows", "floats.arrows", "decimals.arrows", "strings.arrows", "bools_dates.arrows",
        "date64_partial.arrows", "nulls.arrows", "empty_batch.arrows", "no_batches.arrows", "multi_batch.arrows",
        "multi_batch_legacy.arrows", "hand_valid.arrows",
    ]

    /// Byte offsets where a frame starts, then the blob's length: the prefixes that are whole streams.
    static func messageBoundaries(_ bytes: [UInt8]) throws -> [Int] {
        var boundaries = [0]
        var offset = 0
        var index = 0
        while let message = try ArrowMessage.read(bytes, at: offset, index: index) {
            offset = message.end
            index += 1
            boundaries.append(offset)
        }
        return boundaries
    }
}

extension ArrowStream {
    /// The one batch of a single-batch fixture, and its column by name.
    func column(_ name: String, batch: Int = 0) -> ArrowColumn? {
        batches[batch].columns.first { $0.field.name == name }
    }
}

/// Column values with nulls as nil, so tests compare whole columns.
extension ArrowColumn {
    private func optionals<T>(_ values: [T]) -> [T?] {
        values.indices.map { isNull($0) ? nil : values[$0] }
    }

    var integers: [Int64?]? { if case .integers(let values) = values { optionals(values) } else { nil } }
    var doubles: [Double?]? { if case .doubles(let values) = values { optionals(values) } else { nil } }
    var strings: [String?]? { if case .strings(let values) = values { optionals(values) } else { nil } }
    var booleans: [Bool?]? { if case .booleans(let values) = values { optionals(values) } else { nil } }
    var days: [Int32?]? { if case .days(let values) = values { optionals(values) } else { nil } }
    var decimals: (values: [Int128?], scale: Int)? {
        if case .decimals(let values, let scale) = values { (optionals(values), scale) } else { nil }
    }
}
