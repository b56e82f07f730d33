import ChurnModel
import ChurnSyntax

/// Warnings for conditions that SQL answers with nothing because a value is no member: the
/// answer stands, but the value is most likely mistyped (`region = 'Amer'`, `period = '2025-13'`).
extension GroupAttribute {
    /// Dictionaries with more values than this (account ids) are not searched for a near spelling.
    static let largestSearchedForSpelling = 10_000

    /// Members listed in full when no spelling is near.
    static let largestListed = 8

    /// A warning when `value` is not one of the attribute's members.
    func missingMemberWarning(_ value: String, at range: SourceRange) -> Diagnostic? {
        guard dictionary.code(of: value) == nil else { return nil }
        return Diagnostic("\(name) has no member '\(value)'", range: range, hint: memberHint(near: value), severity: .warning)
    }

    /// A warning when an ordering comparison (`<`, BETWEEN) on months or quarters is given a value
    /// not written as one: values compare as text, so `'2025-1'` sorts after `'2025-09'`.
    func malformedBoundWarning(_ value: String, at range: SourceRange) -> Diagnostic? {
        switch kind {
        case .text:
            return nil
        case .month:
            if DerivedLevel.Function.year.apply(value) != nil { return nil }
            // '2025-1' is most likely '2025-01'.
            var written = example
            if let match = value.wholeMatch(of: /(\d{4})-(\d)/) { written = "\(match.1)-0\(match.2)" }
            return Diagnostic("'\(value)' is not a month written YYYY-MM, and \(name) values compare as text", range: range,
                              hint: written.map { "write a month such as '\($0)'" }, severity: .warning)
        case .quarter:
            if Self.isQuarter(value) { return nil }
            return Diagnostic("'\(value)' is not a quarter written YYYY-Qn, and \(name) values compare as text", range: range,
                              hint: example.map { "write a quarter such as '\($0)'" }, severity: .warning)
        }
    }

    /// The earliest member, as an example of how values are written.
    var example: String? {
        dictionary.values.dropFirst().min()
    }

    private func memberHint(near value: String) -> String? {
        let members = Array(dictionary.values.dropFirst())
        guard let first = members.min(), let last = members.max() else { return "it has no members" }
        switch kind {
        case .month, .quarter:
            return "its \(kind == .month ? "months" : "quarters") run from '\(first)' to '\(last)'"
        case .text:
            if members.count <= Self.largestSearchedForSpelling, let near = closestMatch(to: value, among: members) {
                return "did you mean '\(near)'?"
            }
            if members.count <= Self.largestListed {
                return "its members are " + members.sorted().map { "'\($0)'" }.joined(separator: ", ")
            }
            return nil
        }
    }

    private static func isQuarter(_ value: String) -> Bool {
        let bytes = Array(value.utf8)
        return bytes.count == 7 && bytes[0..<4].allSatisfy { $0 >= 48 && $0 <= 57 } && bytes[4] == UInt8(ascii: "-")
            && bytes[5] == UInt8(ascii: "Q") && (UInt8(ascii: "1")...UInt8(ascii: "4")).contains(bytes[6])
    }
}
