import ChurnAnalysis
import ChurnGenerator

/// Generated customer-month facts aggregated to the finest grouping over eight dimensions, with
/// moments for logo churn (churned / rows) and downsell rate (downsell_mrr / mrr_start): what the
/// query engine would hand to a hot-spot search.
struct GeneratedFacts: Sendable {
    static let dimensionNames = ["channel", "campaign", "segment", "industry", "region", "country", "plan", "usage_pattern"]
    static let hierarchyParents: [String: String] = ["campaign": "channel", "country": "region"]

    static let planted = GeneratedFacts(rows: 300_000, effects: true)
    static let null = GeneratedFacts(rows: 300_000, effects: false)
    /// The planted facts with campaign = search AND region = apac planted too.
    static let campaignRegion = GeneratedFacts(rows: 300_000, effects: true, campaignRegion: true)

    let dimensions: [HotspotDimension]
    let churnCells: [HotspotCell]
    let downsellCells: [HotspotCell]

    init(rows: Int, effects: Bool, campaignRegion: Bool = false) {
        let bytes = FactGenerator(options: GeneratorOptions(rows: rows, seed: 42, plantedEffects: effects,
                                                            campaignRegionInteraction: campaignRegion)).bytes()
        var labels = Self.dimensionNames.map { _ in [String?](arrayLiteral: nil) }
        var codes = Self.dimensionNames.map { _ in [String: UInt32]() }
        var slotByKey: [[UInt32]: Int] = [:]
        var keys: [[UInt32]] = []
        var churn: [Moments] = []
        var downsell: [Moments] = []

        bytes.withUnsafeBufferPointer { bytes in
            var lineStart = 0
            var header: [String] = []
            var fieldStarts = [Int](repeating: 0, count: 40)
            var fieldEnds = [Int](repeating: 0, count: 40)
            var dimensionColumns: [Int] = []
            var churnedColumn = 0, mrrColumn = 0, downsellColumn = 0
            var previousSpan: ArraySlice<UInt8> = []
            var slot = 0
            while lineStart < bytes.count {
                var fieldCount = 0
                var position = lineStart
                fieldStarts[0] = lineStart
                while bytes[position] != UInt8(ascii: "\n") {
                    if bytes[position] == UInt8(ascii: ",") {
                        fieldEnds[fieldCount] = position
                        fieldCount += 1
                        fieldStarts[fieldCount] = position + 1
                    }
                    position += 1
                }
                fieldEnds[fieldCount] = position
                fieldCount += 1
                func text(_ field: Int) -> String {
                    String(decoding: UnsafeBufferPointer(rebasing: bytes[fieldStarts[field]..<fieldEnds[field]]), as: UTF8.self)
                }
                if header.isEmpty {
                    header = (0..<fieldCount).map(text)
                    dimensionColumns = Self.dimensionNames.map { header.firstIndex(of: $0)! }
                    churnedColumn = header.firstIndex(of: "churned")!
                    mrrColumn = header.firstIndex(of: "mrr_start")!
                    downsellColumn = header.firstIndex(of: "downsell_mrr")!
                } else {
                    // Dimensions are constant per account and rows come account by account:
                    // intern them only when the span of dimension fields changes.
                    let spanStart = fieldStarts[dimensionColumns.min()!]
                    let spanEnd = fieldEnds[dimensionColumns.max()!]
                    let span = Array(bytes[spanStart..<spanEnd])[...]
                    if span != previousSpan {
                        previousSpan = span
                        let key = dimensionColumns.enumerated().map { dimension, column -> UInt32 in
                            guard fieldEnds[column] > fieldStarts[column] else { return 0 }
                            let label = text(column)
                            if let code = codes[dimension][label] { return code }
                            let code = UInt32(labels[dimension].count)
                            codes[dimension][label] = code
                            labels[dimension].append(label)
                            return code
                        }
                        if let existing = slotByKey[key] {
                            slot = existing
                        } else {
                            slot = keys.count
                            slotByKey[key] = slot
                            keys.append(key)
                            churn.append(.zero)
                            downsell.append(.zero)
                        }
                    }
                    let churned = bytes[fieldStarts[churnedColumn]] == UInt8(ascii: "1") ? 1.0 : 0.0
                    churn[slot].add(x: churned, y: 1)
                    downsell[slot].add(
                        x: Self.money(bytes, fieldStarts[downsellColumn], fieldEnds[downsellColumn]),
                        y: Self.money(bytes, fieldStarts[mrrColumn], fieldEnds[mrrColumn]))
                }
                lineStart = position + 1
            }
        }
        let names = Self.dimensionNames
        dimensions = names.indices.map { index in
            HotspotDimension(
                name: names[index], labels: labels[index],
                hierarchyParent: Self.hierarchyParents[names[index]].flatMap { names.firstIndex(of: $0) })
        }
        churnCells = zip(keys, churn).map { HotspotCell(key: $0, moments: $1) }
        downsellCells = zip(keys, downsell).map { HotspotCell(key: $0, moments: $1) }
    }

    /// "123.45" as dollars.
    private static func money(_ bytes: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> Double {
        var cents = 0
        for index in start..<end where bytes[index] != UInt8(ascii: ".") {
            cents = cents * 10 + Int(bytes[index] &- UInt8(ascii: "0"))
        }
        return Double(cents) / 100
    }

    var churnInput: HotspotInput {
        HotspotInput(
            dimensions: dimensions, cells: churnCells,
            measure: HotspotMeasure(name: "logo_churn_rate", kind: .proportion, impactUnit: "churned accounts"))
    }

    var downsellInput: HotspotInput {
        HotspotInput(
            dimensions: dimensions, cells: downsellCells,
            measure: HotspotMeasure(name: "downsell_rate", kind: .ratioOfSums, impactUnit: "downsell MRR"))
    }

    /// The condition `name = label`.
    func condition(_ name: String, _ label: String) -> HotspotCondition {
        let dimension = dimensions.firstIndex { $0.name == name }!
        let code = dimensions[dimension].labels.firstIndex { $0 == label }!
        return HotspotCondition(dimension: dimension, code: UInt32(code))
    }
}
