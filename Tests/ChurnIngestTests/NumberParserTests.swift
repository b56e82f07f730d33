import Testing
@testable import ChurnIngest

@Suite struct NumberParserTests {
    private func scaled(_ text: String, scale: Int) throws -> Int64 {
        var copy = text
        return try copy.withUTF8 { utf8 in try NumberParser.parseScaled(UnsafeRawBufferPointer(utf8), scale: scale) }
    }

    @Test func numbersOnBothSidesOfTheUncheckedLengthParseExactly() throws {
        #expect(try scaled("999999999999999999", scale: 0) == 999_999_999_999_999_999)
        #expect(try scaled("-99999999999999999", scale: 0) == -99_999_999_999_999_999)
        #expect(try scaled("9223372036854775807", scale: 0) == Int64.max)
        #expect(try scaled("-9223372036854775808", scale: 0) == Int64.min)
        #expect(try scaled("92233720368547758.07", scale: 2) == Int64.max)
        #expect(try scaled("1234567890123456.78", scale: 2) == 123_456_789_012_345_678)
        #expect(try scaled("13243.5", scale: 2) == 1_324_350)
        #expect(try scaled("+7", scale: 2) == 700)
    }

    @Test func overflowIsStillCaught() {
        #expect(throws: NumberProblem.overflow) { try scaled("9223372036854775808", scale: 0) }
        #expect(throws: NumberProblem.overflow) { try scaled("99999999999999999999", scale: 0) }
        // 18 characters, but the scale's zeros push it past 64 bits.
        #expect(throws: NumberProblem.overflow) { try scaled("999999999999999999", scale: 2) }
        #expect(throws: NumberProblem.overflow) { try scaled("92233720368547758.08", scale: 2) }
    }
}
