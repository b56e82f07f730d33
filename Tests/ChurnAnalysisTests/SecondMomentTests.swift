@testable import ChurnAnalysis
import ChurnQuery
import ChurnSyntax
import Testing

/// Σx², Σx·y and Σy² per cell, as the moments of a ratio measure collect them, against sums over
/// the export's rows. Revenue churn's x, churned_mrr, is zero on most rows and its chunks are
/// stored sparse; on the blank export its chunks hold NULLs, which count as 0.
@Suite struct SecondMomentTests {
    /// Per segment, (Σx², Σx·y, Σy²) of churned_mrr and mrr_start over the rows `keeps`.
    static func expected(_ csv: String, keeps: (_ segment: Substring, _ period: Substring) -> Bool) -> [String: [Double]] {
        let lines = csv.split(separator: "\n", omittingEmptySubsequences: true)
        let header = lines[0].split(separator: ",", omittingEmptySubsequences: false)
        let (segment, period) = (header.firstIndex(of: "segment")!, header.firstIndex(of: "period")!)
        let (churned, start) = (header.firstIndex(of: "churned_mrr")!, header.firstIndex(of: "mrr_start")!)
        var sums: [String: [Double]] = [:]
        for line in lines.dropFirst() {
            let fields = line.split(separator: ",", omittingEmptySubsequences: false)
            guard keeps(fields[segment], fields[period]) else { continue }
            let x = Double(fields[churned]) ?? 0, y = Double(fields[start]) ?? 0
            sums[String(fields[segment]), default: [0, 0, 0]][0] += x * x
            sums[String(fields[segment]), default: [0, 0, 0]][1] += x * y
            sums[String(fields[segment]), default: [0, 0, 0]][2] += y * y
        }
        return sums
    }

    static var someMonth: Substring {
        let lines = NullFlowTests.written.split(separator: "\n", maxSplits: 2)
        let header = lines[0].split(separator: ","), row = lines[1].split(separator: ",", omittingEmptySubsequences: false)
        return row[header.firstIndex(of: "period")!]
    }

    @Test(arguments: [(true, 0), (true, 1), (true, 2), (false, 0), (false, 1), (false, 2)])
    func theMomentsAreTheSumsOverTheRows(written: Bool, filter: Int) throws {
        let runner = written ? NullFlowTests.runners.written : NullFlowTests.runners.blank
        let csv = written ? NullFlowTests.written : NullFlowTests.blank
        let engine = runner.engine
        let month = Self.someMonth
        // Every row; the rows of one month (a few of each row group); all but one segment.
        let (text, keeps): (String?, (Substring, Substring) -> Bool) = switch filter {
        case 0: (nil, { _, _ in true })
        case 1: ("period = '\(month)'", { _, period in period == month })
        default: ("segment <> 'smb'", { segment, _ in segment != "smb" })
        }
        let churnedColumn = try #require(engine.cube.store.columns.firstIndex { $0.name == "churned_mrr" })
        if written {
            #expect(engine.cube.store.columns[churnedColumn].chunks.contains { $0.encoding == .sparse && $0.nullCount == 0 },
                    "no sparse chunk of churned_mrr to read")
        }
        let parts = try engine.ratioParts(of: try Parser.parseExpression("revenue_churn_rate"))
        let segment = try #require(engine.catalog.attribute(named: "segment"))
        let tables = try engine.moments(of: [parts], by: [segment], filter: try text.map { try Parser.parseExpression($0) },
                                        cubeName: nil, cancellation: .never)
        let expected = Self.expected(csv, keeps: keeps)
        #expect(tables[0].cells.count == expected.count)
        for cell in tables[0].cells {
            let member = segment.dictionary.value(of: cell.codes[0]) ?? ""
            let sums = try #require(expected[member], "\(member)")
            for (name, value, truth) in [("xx", cell.xx, sums[0]), ("xy", cell.xy, sums[1]), ("yy", cell.yy, sums[2])] {
                #expect(abs(value - truth) <= 1e-9 * max(1, abs(truth)), "\(member) \(name): \(value) against \(truth)")
            }
        }
    }
}
