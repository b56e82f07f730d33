import Testing
@testable import ChurnIngest

@Suite struct RecordScannerTests {
    /// The fields of every record of `text`, as the scanner finds them, with their stray-quote mark.
    private func records(_ text: String) -> [[String]] {
        let bytes = Array(text.utf8)
        return bytes.withUnsafeBytes { raw in
            var scanner = RecordScanner(raw, atEnd: true)
            var records: [[String]] = []
            while scanner.position < raw.count {
                if scanner.skipBlankLine() == true { continue }
                var fields: [String] = []
                while true {
                    guard case let .field(start, end, _, stray, endsRecord) = scanner.nextField() else {
                        Issue.record("unexpected step")
                        return records
                    }
                    fields.append(String(decoding: raw[start..<end], as: UTF8.self) + (stray ? "<stray>" : ""))
                    if endsRecord { break }
                }
                records.append(fields)
            }
            return records
        }
    }

    @Test func bytesBelowTheCommaInsideFieldsDoNotEndThem() {
        // Spaces, '!', '#', '+', a tab and a stray quote at every offset of a word, fields
        // shorter and longer than eight bytes, line ends of each kind.
        let fields = ["a b", "x!y#z+w", "12345678 9", "tab\there", "0123456789abcdef", "", "q\"uote", "-1.5", "seven!!"]
        let text = fields.joined(separator: ",") + "\n" + fields.reversed().joined(separator: ",") + "\r\n" + "last,1"
        let expected = fields.map { $0 == "q\"uote" ? $0 + "<stray>" : $0 }
        #expect(records(text) == [expected, expected.reversed(), ["last", "1"]])
    }

    @Test func everyFieldLengthAroundAWordSplitsTheSame() {
        for length in 0...20 {
            let field = String(repeating: "k", count: length)
            let text = [field, field + " ", "#" + field].joined(separator: ",") + "\n" + "end" + field
            #expect(records(text) == [[field, field + " ", "#" + field], ["end" + field]], "length \(length)")
        }
    }
}
