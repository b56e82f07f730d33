import ChurnModel

/// Guesses a cube definition from a CSV header and sample rows: text columns become dimensions,
/// numeric columns measures (flags, integers, money-like decimals with up to 2 places, doubles).
enum SchemaInference {
    static let sampleRowCount = 20_000

    static func infer(name: String, header: [String], sample: [[String]], origin: String) -> CubeDefinition {
        var dimensions: [DimensionDefinition] = []
        var facts: [FactColumn] = []
        for (index, column) in header.enumerated() {
            let values = sample.lazy.compactMap { index < $0.count ? $0[index] : nil }.filter { !$0.isEmpty }
            switch classify(Array(values)) {
            case let .fact(kind): facts.append(FactColumn(name: column, kind: kind))
            case let .dimension(kind): dimensions.append(DimensionDefinition(name: column, kind: kind))
            }
        }
        let measures = [MeasureDefinition(name: "row_count", formula: "COUNT(*)", format: .count, additivity: .additive,
                                          description: "rows of the facts")]
        return CubeDefinition(name: name, description: "inferred from \(origin)", dimensions: dimensions,
                              facts: facts, measures: measures, origin: "\(origin) (inferred)")
    }

    private enum Guess {
        case fact(FactColumn.Kind)
        case dimension(DimensionDefinition.ValueKind)
    }

    private static func classify(_ values: [String]) -> Guess {
        guard !values.isEmpty else { return .dimension(.text) }
        var allFlags = true, allIntegers = true, allCents = true, allNumbers = true
        for value in values {
            let bytes = Array(value.utf8)
            let isInteger = bytes.withUnsafeBytes { (try? NumberParser.parseInteger($0)) != nil }
            if isInteger {
                if value != "0" && value != "1" { allFlags = false }
                continue
            }
            allFlags = false
            allIntegers = false
            if allCents && bytes.withUnsafeBytes({ (try? NumberParser.parseScaled($0, scale: 2)) == nil }) { allCents = false }
            if bytes.withUnsafeBytes({ (try? NumberParser.parseDouble($0)) == nil }) { allNumbers = false; break }
        }
        if allNumbers {
            if allFlags { return .fact(.flag) }
            if allIntegers { return .fact(.integer) }
            return .fact(allCents ? .money : .double)
        }
        if values.allSatisfy({ DimensionValueCheck.month.problem(with: $0) == nil }) { return .dimension(.month) }
        if values.allSatisfy({ DimensionValueCheck.quarter.problem(with: $0) == nil }) { return .dimension(.quarter) }
        return .dimension(.text)
    }
}

extension DimensionValueCheck {
    func problem(with text: String) -> String? {
        var copy = text
        return copy.withUTF8 { problem(with: UnsafeRawBufferPointer($0)) }
    }
}
