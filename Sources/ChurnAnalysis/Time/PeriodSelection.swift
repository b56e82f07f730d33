import ChurnQuery
import ChurnSyntax

/// A period as a statement names it (`'2025-03'`, `'2025-Q1'`, `'2025'`): the months of the
/// data it covers, read from the time axis and its levels.
struct PeriodSelection {
    var label: String
    /// Stored month codes of the period.
    var monthCodes: [UInt32]
    /// Calendar index of its first month, to tell which of two periods comes first.
    var firstMonth: Int

    /// The period `text` names, or an error listing what the data holds.
    static func resolve(_ text: String, axis: TimeAxis, at range: SourceRange) throws -> PeriodSelection {
        let month = axis.month
        if let code = month.dictionary.code(of: text), code != 0, let index = axis.monthIndex[Int(code)] {
            return PeriodSelection(label: text, monthCodes: [code], firstMonth: index)
        }
        for level in axis.levels {
            guard let code = level.dictionary.code(of: text), code != 0, let codeMap = level.codeMap else { continue }
            let months = codeMap.indices.filter { $0 != 0 && codeMap[$0] == code }.map { UInt32($0) }
            guard let first = months.compactMap({ axis.monthIndex[Int($0)] }).min() else { continue }
            return PeriodSelection(label: text, monthCodes: months, firstMonth: first)
        }
        throw QueryError("'\(text)' is no period of the data", at: range, hint: ranges(axis))
    }

    /// What the data holds: `months run from 2023-01 to 2025-12, quarter from 2023-Q1 to 2025-Q4`.
    static func ranges(_ axis: TimeAxis) -> String {
        var parts: [String] = []
        let months = axis.monthIndex.compactMap { $0 }
        if let first = months.min(), let last = months.max() {
            parts.append("months run from \(TimeAxis.label(of: first)) to \(TimeAxis.label(of: last))")
        }
        for level in axis.levels {
            let values = (1..<max(1, level.codeCount)).compactMap { level.dictionary.value(of: UInt32($0)) }.sorted()
            if let first = values.first, let last = values.last { parts.append("\(level.name) from \(first) to \(last)") }
        }
        return parts.joined(separator: ", ")
    }
}
