import ChurnQuery
import Testing

@Suite struct ThousandsTests {
    @Test func groupsDigitsByThree() {
        #expect(Thousands.grouped(0) == "0")
        #expect(Thousands.grouped(999) == "999")
        #expect(Thousands.grouped(1_000) == "1,000")
        #expect(Thousands.grouped(-1_234_567) == "-1,234,567")
        #expect(Thousands.grouped(Int.min) == "-9,223,372,036,854,775,808")
        #expect(Thousands.grouped(digits: "25439") == "25,439")
        #expect(Thousands.grouped(digits: "-100") == "-100")
    }
}
