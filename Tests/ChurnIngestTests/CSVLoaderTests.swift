import Foundation
import Testing
import ChurnModel
import ChurnStorage
@testable import ChurnIngest

/// A temporary directory with helpers to write inputs and load them.
final class Scratch {
    let directory: URL

    init() {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("churncube-tests-\(UUID().uuidString)")
        try! FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(at: directory) }

    func write(_ name: String, _ bytes: [UInt8]) -> String {
        let path = directory.appendingPathComponent(name).path
        _ = FileManager.default.createFile(atPath: path, contents: Data(bytes))
        return path
    }

    func write(_ name: String, _ text: String) -> String { write(name, Array(text.utf8)) }
}

let tinyCube = """
cube: tiny
dimensions:
  account_id: {}
  period: { type: month }
  region: {}
facts:
  mrr_start: money
  churned: flag
  nps: integer
  score: double
"""

private func load(_ csv: String, cube: String? = tinyCube, skipBadRows: Bool = false, rowGroupSize: Int = 65_536,
                  blockSize: Int = 1 << 20, scratch: Scratch = Scratch()) throws -> (Cube, IngestReport) {
    let csvPath = scratch.write("facts.csv", csv)
    var options = IngestOptions(cubePath: cube.map { scratch.write("tiny.yaml", $0) }, skipBadRows: skipBadRows)
    options.rowGroupSize = rowGroupSize
    options.blockSize = blockSize
    return try CSVLoader.load(path: csvPath, options: options)
}

private func column(_ cube: Cube, _ name: String) throws -> [StoredValue?] {
    try cube.store.column(named: name)!.decodeAllValues()
}

private func expectLoadError(_ csv: String, _ expected: String, cube: String? = tinyCube, sourceLocation: SourceLocation = #_sourceLocation) {
    do {
        _ = try load(csv, cube: cube)
        Issue.record("expected the load to fail", sourceLocation: sourceLocation)
    } catch {
        let message = "\(error)".replacingOccurrences(of: #"^.*/facts\.csv"#, with: "facts.csv", options: .regularExpression)
        #expect(message == expected, sourceLocation: sourceLocation)
    }
}

@Suite struct CSVLoaderTests {
    @Test func loadsTypedColumnsInCubeOrder() throws {
        let csv = """
        region,account_id,period,mrr_start,churned,nps,score,extra
        amer,A1,2025-01,100.50,0,9,1.5,x
        emea,A2,2025-02,-3.1,1,,2e3,y

        """
        let (cube, report) = try load(csv)
        #expect(report.rowCount == 2)
        #expect(report.ignoredColumns == ["extra"])
        #expect(cube.store.columns.map(\.name) == ["account_id", "period", "region", "mrr_start", "churned", "nps", "score"])
        #expect(try column(cube, "region") == [.text("amer"), .text("emea")])
        #expect(try column(cube, "mrr_start") == [.integer(10050), .integer(-310)])
        #expect(try column(cube, "nps") == [.integer(9), nil])
        #expect(try column(cube, "score") == [.double(1.5), .double(2000)])
        #expect(cube.store.column(named: "nps")!.nullCount == 1)
    }

    @Test func quotedFieldsWithCommasQuotesNewlinesAndCRLF() throws {
        let csv = "account_id,period,region,mrr_start,churned,nps,score\r\n"
            + "\"A,1\",2025-01,\"am\"\"er\",1.00,0,1,0\r\n"
            + "\"A\n2\",2025-01,\"\",2.00,0,1,0\r\n"
            + "A3,2025-01,emea,3.00,0,1,0"
        let (cube, _) = try load(csv)
        #expect(try column(cube, "account_id") == [.text("A,1"), .text("A\n2"), .text("A3")])
        #expect(try column(cube, "region") == [.text("am\"er"), nil, .text("emea")])
        #expect(try column(cube, "mrr_start") == [.integer(100), .integer(200), .integer(300)])
    }

    @Test func utf8ValuesAndByteOrderMark() throws {
        let csv = "\u{FEFF}account_id,period,region,mrr_start,churned,nps,score\nA1,2025-01,São Paulo,1,0,1,0\nA2,2025-01,東京,1,0,1,0\n"
        let (cube, _) = try load(csv)
        #expect(try column(cube, "region") == [.text("São Paulo"), .text("東京")])
    }

    @Test func wrongFieldCountNamesTheLine() {
        expectLoadError("account_id,period,region,mrr_start,churned,nps,score\nA1,2025-01,amer,1,0,1,0\nA2,2025-01,amer,1,0\n",
                        "facts.csv:3: expected 7 fields, found 5")
    }

    @Test func lineNumbersCountNewlinesInsideQuotes() {
        expectLoadError("account_id,period,region,mrr_start,churned,nps,score\n\"A\n1\",2025-01,amer,1,0,1,0\nA2,2025-01,amer,x,0,1,0\n",
                        "facts.csv:4: column 'mrr_start': 'x' is not a number")
    }

    @Test func overflowAndPrecisionAreErrors() {
        expectLoadError("account_id,period,region,mrr_start,churned,nps,score\nA1,2025-01,amer,1,0,99999999999999999999,0\n",
                        "facts.csv:2: column 'nps': 99999999999999999999 is out of range for a 64-bit integer")
        expectLoadError("account_id,period,region,mrr_start,churned,nps,score\nA1,2025-01,amer,1.234,0,1,0\n",
                        "facts.csv:2: column 'mrr_start': '1.234' has more than 2 decimals")
        expectLoadError("account_id,period,region,mrr_start,churned,nps,score\nA1,2025-01,amer,1,0,1.5,0\n",
                        "facts.csv:2: column 'nps': '1.5' is not an integer")
    }

    @Test func invalidUTF8IsAnError() {
        var bytes = Array("account_id,period,region,mrr_start,churned,nps,score\nA1,2025-01,".utf8)
        bytes += [0x61, 0xFF, 0x62]
        bytes += Array(",1,0,1,0\n".utf8)
        let scratch = Scratch()
        let path = scratch.write("facts.csv", bytes)
        #expect(throws: IngestError.badRow(path: path, line: 2, column: "region", problem: "invalid UTF-8 in 'a\u{FFFD}b'")) {
            _ = try CSVLoader.load(path: path, options: IngestOptions(cubePath: scratch.write("c.yaml", tinyCube)))
        }
    }

    @Test func monthDimensionsAreChecked() {
        expectLoadError("account_id,period,region,mrr_start,churned,nps,score\nA1,2025-13,amer,1,0,1,0\n",
                        "facts.csv:2: column 'period': '2025-13' is not a month (YYYY-MM)")
    }

    @Test func unterminatedQuote() {
        expectLoadError("account_id,period,region,mrr_start,churned,nps,score\nA1,2025-01,\"amer,1,0,1,0\n",
                        "facts.csv:2: unterminated quoted field: the quote opened on this line is never closed")
    }

    /// A header and 200 rows of the tiny cube (lines 2 to 201), the row on `line` replaced by `bad`;
    /// `quoteRegions` quotes every region, so a stray quote finds a closing partner further on.
    private static func rowsWithABadLine(_ line: Int, _ bad: String, quoteRegions: Bool = false) -> String {
        var csv = "account_id,period,region,mrr_start,churned,nps,score\n"
        for row in 2...201 {
            csv += row == line ? bad + "\n" : "A\(row),2025-01,\(quoteRegions ? "\"amer\"" : "amer"),\(row),0,1,0\n"
        }
        return csv
    }

    @Test(arguments: [1 << 20, 4096, 256])
    func aStrayQuoteCostsOnlyItsLine(blockSize: Int) throws {
        let cases: [(csv: String, problem: String)] = [
            (Self.rowsWithABadLine(51, "A51,2025-01,\"distributor,51,0,1,0"),
             "unterminated quoted field: the quote opened on this line is never closed"),
            (Self.rowsWithABadLine(51, "A51,2025-01,\"distributor,51,0,1,0", quoteRegions: true),
             "text after the closing quote of a field that opened on this line and runs over 2 lines (a stray quote?)"),
            (Self.rowsWithABadLine(51, "A51,2025-01,dis\"tributor,51,0,1,0", quoteRegions: true),
             "column 'region': a quote inside an unquoted field (quote the whole field and double the quote)"),
            (Self.rowsWithABadLine(51, "A51,2025-01,\"amer\"x,51,0,1,0", quoteRegions: true),
             "unexpected character after a closing quote"),
        ]
        for (csv, problem) in cases {
            let (cube, report) = try load(csv, skipBadRows: true, blockSize: blockSize)
            #expect(report.rowCount == 199)
            #expect(report.skippedRowCount == 1)
            #expect(report.skippedRows.map { $0.replacingOccurrences(of: #"^.*/facts\.csv"#, with: "facts.csv", options: .regularExpression) }
                == ["facts.csv:51: " + problem])
            let accounts = try column(cube, "account_id").map { value -> String in
                if case let .text(account)? = value { return account }
                return "not text"
            }
            #expect(accounts == (2...201).filter { $0 != 51 }.map { "A\($0)" })
            expectLoadError(csv, "facts.csv:51: " + problem)
        }
    }

    @Test func aQuoteOpenForTooManyLinesIsUnterminated() throws {
        // Closed 1,500 lines later: past the limit, so the quote's line is skipped and the rest loads.
        var csv = "account_id,period,region,mrr_start,churned,nps,score\nA0,2025-01,\"amer,1,0,1,0\n"
        for row in 1...1_500 { csv += "A\(row),2025-01,amer,\(row),0,1,0\n" }
        csv += "A1501,2025-01,\"amer\",1,0,1,0\n"
        let (cube, report) = try load(csv, skipBadRows: true, blockSize: 4096)
        #expect(report.rowCount == 1_501)
        #expect(report.skippedRows.map { $0.replacingOccurrences(of: #"^.*/facts\.csv"#, with: "facts.csv", options: .regularExpression) }
            == ["facts.csv:2: unterminated quoted field: the quote opened on this line is not closed within 1000 lines"])
        #expect(try column(cube, "account_id").first == .text("A1"))
        #expect(try column(cube, "account_id").last == .text("A1501"))
    }

    @Test func anUnterminatedQuoteInTheHeaderNamesLineOne() {
        expectLoadError("account_id,\"period,region,mrr_start,churned,nps,score\nA1,2025-01,amer,1,0,1,0\n",
                        "facts.csv:1: unterminated quoted field: the quote opened on this line is never closed")
    }

    @Test(arguments: [1 << 20, 64, 13])
    func aCarriageReturnAloneEndsALine(blockSize: Int) throws {
        let header = "account_id,period,region,mrr_start,churned,nps,score"
        let rows = (1...40).map { "A\($0),2025-01,\($0 % 3 == 0 ? "\"emea\"" : "amer"),\($0),0,1,0" }
        // One line of an LF file ends in CR alone; a whole file of old Mac line ends; CR LF.
        for separators in [["\n", "\n", "\r"], ["\r"], ["\r\n"]] {
            let csv = header + "\n" + rows.enumerated().map { $0.element + separators[$0.offset % separators.count] }.joined()
            let (cube, report) = try load(csv, blockSize: blockSize)
            #expect(report.rowCount == 40)
            #expect(report.skippedRowCount == 0)
            #expect(try column(cube, "mrr_start") == (1...40).map { .integer(Int64($0) * 100) })
            #expect(try column(cube, "region")[2] == .text("emea"))
        }
        // Line numbers count a CR alone as one line end, and CR LF as one too.
        let bad = rows[..<20].joined(separator: "\r") + "\rA21,2025-01,amer,x,0,1,0\r"
        expectLoadError(header + "\r" + bad, "facts.csv:22: column 'mrr_start': 'x' is not a number")
        expectLoadError(header + "\r\n" + bad.replacingOccurrences(of: "\r", with: "\r\n"), "facts.csv:22: column 'mrr_start': 'x' is not a number")
        expectLoadError(header + "\r\"A\r\n0\",2025-01,amer,1,0,1,0\r" + bad, "facts.csv:24: column 'mrr_start': 'x' is not a number")
    }

    @Test func flagsAreZeroOneOrNull() throws {
        let header = "account_id,period,region,mrr_start,churned,nps,score\n"
        for bad in ["2", "-1", "7", "yes", "0.5"] {
            expectLoadError(header + "A1,2025-01,amer,1,0,1,0\nA2,2025-01,amer,1,\(bad),1,0\n",
                            "facts.csv:3: column 'churned': '\(bad)' is not a flag (0 or 1)")
        }
        let (cube, report) = try load(header + "A1,2025-01,amer,1,1,1,0\nA2,2025-01,amer,1,2,1,0\nA3,2025-01,amer,1,,1,0\nA4,2025-01,amer,1,0,1,0\n",
                                      skipBadRows: true)
        #expect(report.rowCount == 3)
        #expect(report.skippedRowCount == 1)
        #expect(try column(cube, "churned") == [.integer(1), nil, .integer(0)])
    }

    @Test(arguments: [1 << 20, 64])
    func skippedRowsAddNothingToTheDictionaries(blockSize: Int) throws {
        // 'mars' and 'A9' appear only in skipped rows; 'emea' first in a skipped row, then in a kept one.
        let csv = """
        account_id,period,region,mrr_start,churned,nps,score
        A1,2025-01,amer,1,0,1,0
        A9,2025-02,mars,oops,0,1,0
        A2,2025-03,emea,1,2,1,0
        A3,2025-01,emea,1,0,1,0
        A4,2025-04,,1,0,1,0

        """
        let (cube, report) = try load(csv, skipBadRows: true, blockSize: blockSize)
        #expect(report.rowCount == 3)
        #expect(report.skippedRowCount == 2)
        #expect(cube.store.column(named: "region")!.dictionary.values.dropFirst() == ["amer", "emea"])
        #expect(cube.store.column(named: "account_id")!.cardinality == 3)
        #expect(cube.store.column(named: "period")!.cardinality == 2)
        #expect(try column(cube, "region") == [.text("amer"), .text("emea"), nil])
    }

    @Test func nullsAreCountedInDimensionsAndMeasures() throws {
        let csv = """
        account_id,period,region,mrr_start,churned,nps,score
        A1,2025-01,,1,0,,0
        A2,2025-01,amer,1,0,1,0
        A3,2025-01,,1,0,,0
        A4,2025-01,,,0,1,0

        """
        let (cube, _) = try load(csv, rowGroupSize: 2)
        #expect(cube.store.columns.map(\.nullCount) == [0, 0, 3, 1, 0, 2, 0])
    }

    @Test func missingColumnNamesTheCubeLine() {
        let scratch = Scratch()
        let csvPath = scratch.write("facts.csv", "account_id,period,mrr_start,churned,nps,score\n")
        let cubePath = scratch.write("tiny.yaml", tinyCube)
        #expect(throws: IngestError.missingColumn(path: csvPath, column: "region", declaredAt: "\(cubePath):5")) {
            _ = try CSVLoader.load(path: csvPath, options: IngestOptions(cubePath: cubePath))
        }
    }

    @Test func emptyFileAndMissingFile() {
        expectLoadError("", "facts.csv: the file is empty: expected a header line")
        #expect(throws: IngestError.cannotOpen(path: "/nonexistent/facts.csv", reason: "No such file or directory")) {
            _ = try CSVLoader.load(path: "/nonexistent/facts.csv", options: IngestOptions())
        }
    }

    @Test func headerOnlyLoadsZeroRows() throws {
        let (cube, report) = try load("account_id,period,region,mrr_start,churned,nps,score\n")
        #expect(report.rowCount == 0)
        #expect(cube.store.rowCount == 0)
    }

    @Test func skipBadRowsCountsAndKeepsTheRest() throws {
        let csv = """
        account_id,period,region,mrr_start,churned,nps,score
        A1,2025-01,amer,1,0,1,0
        A2,2025-01,amer,oops,0,1,0
        A3,2025-01,amer,3,0
        A4,2025-01,emea,4,0,1,0

        """
        let (cube, report) = try load(csv, skipBadRows: true)
        #expect(report.rowCount == 2)
        #expect(report.skippedRowCount == 2)
        #expect(report.skippedRows.map { $0.replacingOccurrences(of: #"^.*/facts\.csv"#, with: "facts.csv", options: .regularExpression) } == [
            "facts.csv:3: column 'mrr_start': 'oops' is not a number",
            "facts.csv:4: expected 7 fields, found 5",
        ])
        #expect(try column(cube, "account_id") == [.text("A1"), .text("A4")])
        #expect(try column(cube, "mrr_start") == [.integer(100), .integer(400)])
    }

    @Test func manyRowsAcrossBlocksAndRowGroups() throws {
        // Small blocks and row groups force cuts mid-file, dictionary merges and several chunks.
        var csv = "account_id,period,region,mrr_start,churned,nps,score\n"
        let regions = ["amer", "emea", "apac", "latam"]
        for row in 0..<25_000 {
            let nps = row % 7 == 0 ? "" : String(row % 11)
            csv += "A\(row / 12),2024-\(String(format: "%02d", row % 12 + 1)),\"\(regions[(row / 12) % 4])\",\(row).\(row % 100),\(row % 50 == 0 ? 1 : 0),\(nps),\(Double(row) / 8)\n"
        }
        let (cube, report) = try load(csv, rowGroupSize: 1000, blockSize: 64 << 10)
        #expect(report.rowCount == 25_000)
        #expect(cube.store.rowGroupCount == 25)
        let accounts = try column(cube, "account_id")
        let mrr = try column(cube, "mrr_start")
        let nps = try column(cube, "nps")
        let regionValues = try column(cube, "region")
        for row in stride(from: 0, to: 25_000, by: 997) {
            #expect(accounts[row] == .text("A\(row / 12)"))
            #expect(mrr[row] == .integer(Int64(row) * 100 + Int64(row % 100)))
            #expect(nps[row] == (row % 7 == 0 ? nil : .integer(Int64(row % 11))))
            #expect(regionValues[row] == .text(regions[(row / 12) % 4]))
        }
        #expect(cube.store.column(named: "account_id")!.cardinality == 2084)
        #expect(cube.store.column(named: "region")!.cardinality == 4)
    }

    @Test func headerAndRecordsLongerThanTheReadBuffer() throws {
        // An 8-byte buffer must grow for the header and for every record, BOM included.
        let csv = "\u{FEFF}account_id,period,region,mrr_start,churned,nps,score\nA1,2025-01,amer,1,0,1,0\nA2,2025-02,emea,2,1,,0.5\n"
        let (cube, report) = try load(csv, blockSize: 8)
        #expect(report.rowCount == 2)
        #expect(try column(cube, "account_id") == [.text("A1"), .text("A2")])
        #expect(try column(cube, "score") == [.double(0), .double(0.5)])
    }

    @Test func inferredSchemaWithoutACube() throws {
        let csv = "id,month,flag,amount,ratio,label\n1,2025-01,0,1.25,0.333,a\n2,2025-02,1,3,1e-3,b\n"
        let (cube, report) = try load(csv, cube: nil)
        #expect(report.schemaInferred)
        #expect(cube.name == "facts")
        #expect(cube.definition.dimensions.map(\.name) == ["month", "label"])
        #expect(cube.definition.dimension(named: "month")?.kind == .month)
        #expect(cube.definition.facts.map(\.kind) == [.integer, .flag, .money, .double])
        #expect(try column(cube, "amount") == [.integer(125), .integer(300)])
    }

    @Test func zstdCompressedInput() throws {
        let text = "account_id,period,region,mrr_start,churned,nps,score\nA1,2025-01,amer,1,0,1,0\nA2,2025-02,emea,2,1,,0.5\n"
        let frame = try Zstd.compress(Array(text.utf8))
        let scratch = Scratch()
        let path = scratch.write("facts.csv.zst", frame)
        let (cube, report) = try CSVLoader.load(path: path, options: IngestOptions(cubePath: scratch.write("c.yaml", tinyCube)))
        #expect(report.rowCount == 2)
        #expect(try column(cube, "period") == [.text("2025-01"), .text("2025-02")])
    }

    @Test func truncatedZstdInputIsAnError() throws {
        let text = String(repeating: "A1,2025-01,amer,1,0,1,0\n", count: 5000)
        var frame = try Zstd.compress(Array(("account_id,period,region,mrr_start,churned,nps,score\n" + text).utf8))
        frame.removeLast(20)
        let scratch = Scratch()
        let path = scratch.write("facts.csv.zst", frame)
        #expect(throws: IngestError.self) {
            _ = try CSVLoader.load(path: path, options: IngestOptions(cubePath: scratch.write("c.yaml", tinyCube)))
        }
    }
}
