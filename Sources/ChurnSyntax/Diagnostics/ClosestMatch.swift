/// The candidate nearest to `name` by case-insensitive Damerau–Levenshtein distance, for
/// "did you mean" hints; nil unless the distance is at most `max(1, name.count / 3)`.
/// Ties go to the earlier candidate; a candidate spelled exactly as `name` is never suggested.
///
/// The work is bounded however long the name: a candidate whose length differs from it by
/// more than the allowed distance is skipped unread, and a comparison stops as soon as the
/// distance must exceed the best found so far.
package func closestMatch(to name: String, among candidates: [String]) -> String? {
    // A name many times longer than every candidate is near none of them; this spares reading
    // a pasted megabyte character by character.
    let longest = candidates.lazy.map(\.utf8.count).max() ?? 0
    guard name.utf8.count <= 4 * (longest + 1) else { return nil }
    let target = Array(name.lowercased())
    var best: (candidate: String, distance: Int)?
    for candidate in candidates where candidate != name {
        let limit = min(max(1, target.count / 3), (best?.distance ?? .max) - 1)
        let characters = Array(candidate.lowercased())
        guard abs(characters.count - target.count) <= limit,
              let distance = editDistance(target, characters, atMost: limit) else { continue }
        best = (candidate, distance)
    }
    return best?.candidate
}

/// Optimal-string-alignment distance: insertions, deletions, substitutions and swaps of
/// adjacent characters each cost 1.
func editDistance(_ source: [Character], _ target: [Character]) -> Int {
    editDistance(source, target, atMost: .max)!
}

/// The distance when it is at most `limit`, else nil; gives up on the first row whose every
/// entry exceeds the limit, since entries never decrease down the table.
func editDistance(_ source: [Character], _ target: [Character], atMost limit: Int) -> Int? {
    if source.isEmpty { return target.count <= limit ? target.count : nil }
    if target.isEmpty { return source.count <= limit ? source.count : nil }
    let width = target.count + 1
    // Three rows suffice: the swap looks two rows back.
    var before = [Int](repeating: 0, count: width)
    var previous = Array(0...target.count)
    var row = [Int](repeating: 0, count: width)
    for index in 1...source.count {
        row[0] = index
        var rowMinimum = row[0]
        for column in 1...target.count {
            let cost = source[index - 1] == target[column - 1] ? 0 : 1
            var value = min(previous[column] + 1, row[column - 1] + 1, previous[column - 1] + cost)
            if index > 1, column > 1, source[index - 1] == target[column - 2], source[index - 2] == target[column - 1] {
                value = min(value, before[column - 2] + 1)
            }
            row[column] = value
            rowMinimum = min(rowMinimum, value)
        }
        if rowMinimum > limit { return nil }
        (before, previous, row) = (previous, row, before)
    }
    let distance = previous[target.count]
    return distance <= limit ? distance : nil
}
