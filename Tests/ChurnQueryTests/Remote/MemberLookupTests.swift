@testable import ChurnQuery
import Testing

/// Member codes by bytes, as a remote answer is read: every member is found with its own code,
/// canonically equal but different spellings stay apart, and a value not among them is missing.
struct MemberLookupTests {
    static let members = [
        "", "amer", "emea", "apac", "Zürich", "Zu\u{308}rich", "a", "ab", "abcdefgh", "abcdefghi",
        "O'Brien, \"Ltd\"", "東京", "🙂 smile", String(repeating: "long member ", count: 20), " padded ",
    ]

    @Test func everyMemberIsFoundWithItsCode() {
        let values = ["NULL"] + Self.members
        let lookup = MemberLookup(values: values)
        for (code, value) in values.enumerated().dropFirst() {
            #expect(lookup.code(of: value) == UInt32(code), "\(value.debugDescription)")
        }
    }

    @Test func composedAndDecomposedSpellingsAreTwoMembers() throws {
        let lookup = MemberLookup(values: ["NULL", "Zürich"])
        #expect(lookup.code(of: "Zürich") == 1)
        #expect(lookup.code(of: "Zu\u{308}rich") == nil)
    }

    @Test func valuesThatAreNotMembersAreMissing() {
        let lookup = MemberLookup(values: ["NULL"] + Self.members)
        for missing in ["Amer", "amer ", "abcdefg", "abcdefghij", "東", "padded", "NULL"] {
            #expect(lookup.code(of: missing) == nil, "\(missing.debugDescription)")
        }
        #expect(MemberLookup(values: ["NULL"]).code(of: "amer") == nil)
    }

    /// Many members with shared prefixes and equal lengths, as account ids are: the table keeps
    /// them apart through collisions.
    @Test func manyAccountLikeMembersAreAllFound() {
        let values = ["NULL"] + (0..<50_000).map { "A\(String(1_000_000 + $0).dropFirst())" }
        let lookup = MemberLookup(values: values)
        for code in stride(from: 1, to: values.count, by: 7) {
            #expect(lookup.code(of: values[code]) == UInt32(code))
        }
        #expect(lookup.code(of: "A050000") == nil)
    }
}
