import ChurnModel

/// The cube's months: the attribute of its `month` dimension, each code's position on the
/// calendar (year × 12 + month - 1), and the coarser levels computed from it (quarter, year).
package struct TimeAxis: Sendable {
    package let month: GroupAttribute
    /// Stored month code -> calendar month index; nil for NULL.
    package let monthIndex: [Int?]
    /// Levels whose source is the month dimension, coarsest first as the catalog lists them.
    package let levels: [GroupAttribute]

    /// The cube's time axis; nil when no dimension holds months.
    package init?(catalog: CubeCatalog) {
        guard let definition = catalog.cube.definition.dimensions.first(where: { $0.kind == .month }),
              let month = catalog.attribute(named: definition.name), month.codeMap == nil else { return nil }
        self.month = month
        monthIndex = (0..<month.codeCount).map { code in month.dictionary.value(of: UInt32(code)).flatMap(Self.index(of:)) }
        levels = catalog.attributes.filter { $0.column == month.column && $0.codeMap != nil }
    }

    /// `YYYY-MM` -> year × 12 + month - 1.
    package static func index(of month: String) -> Int? {
        let utf8 = Array(month.utf8)
        guard utf8.count == 7, utf8[4] == UInt8(ascii: "-"), let year = Int(month.prefix(4)), let number = Int(month.suffix(2)),
              (1...12).contains(number) else { return nil }
        return year * 12 + number - 1
    }

    /// Calendar month index -> `YYYY-MM`.
    package static func label(of index: Int) -> String {
        let year = index / 12, number = index % 12 + 1
        return String(format: "%04d-%02d", year, number)
    }
}

import Foundation
