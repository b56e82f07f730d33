@testable import ChurnGenerator

/// Generated CSV split into header and rows of fields, for checking what the generator wrote.
struct FactTable {
    let header: [String]
    let rows: [[Substring]]
    private let columnIndex: [String: Int]

    init(_ bytes: [UInt8]) {
        let text = String(decoding: bytes, as: UTF8.self)
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        precondition(lines.last == "", "output must end with a newline")
        lines.removeLast()
        header = lines[0].split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        rows = lines.dropFirst().map { $0.split(separator: ",", omittingEmptySubsequences: false) }
        columnIndex = Dictionary(uniqueKeysWithValues: header.enumerated().map { ($1, $0) })
    }

    static func generate(rows: Int, seed: UInt64 = 42, effects: Bool = true, order: RowOrder = .account,
                         campaignRegion: Bool = false) -> FactTable {
        let options = GeneratorOptions(rows: rows, seed: seed, plantedEffects: effects, order: order,
                                       campaignRegionInteraction: campaignRegion)
        return FactTable(FactGenerator(options: options).bytes())
    }

    /// The position of a column; traps on an unknown name.
    func column(_ name: String) -> Int {
        guard let index = columnIndex[name] else { preconditionFailure("no column \(name)") }
        return index
    }

    /// Money as integer cents, checking the two-decimal format on the way.
    static func cents(_ field: Substring) -> Int? {
        let parts = field.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 2, parts[1].count == 2, let whole = Int(parts[0]), let fraction = Int(parts[1]) else {
            return nil
        }
        return whole * 100 + fraction
    }
}
