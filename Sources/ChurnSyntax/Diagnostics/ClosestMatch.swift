/// The candidate nearest to `name` by case-insensitive Damerau–Levenshtein distance, for
/// "did you mean" hints; nil unless the distance is at most `max(1, name.count / 3)`.
/// Ties go to the earlier candidate.
package func closestMatch(to name: String, among candidates: [String]) -> String? {
    let target = Array(name.lowercased())
    let limit = max(1, target.count / 3)
    var best: (candidate: String, distance: Int)?
    for candidate in candidates {
        let distance = editDistance(target, Array(candidate.lowercased()))
        if distance <= limit, distance < (best?.distance ?? .max) {
            best = (candidate, distance)
        }
    }
    return best?.candidate
}

/// Optimal-string-alignment distance: insertions, deletions, substitutions and swaps of
/// adjacent characters each cost 1.
func editDistance(_ source: [Character], _ target: [Character]) -> Int {
    if source.isEmpty { return target.count }
    if target.isEmpty { return source.count }
    let width = target.count + 1
    var table = [Int](repeating: 0, count: (source.count + 1) * width)
    for row in 0...source.count { table[row * width] = row }
    for column in 0...target.count { table[column] = column }
    for row in 1...source.count {
        for column in 1...target.count {
            let cost = source[row - 1] == target[column - 1] ? 0 : 1
            var value = min(
                table[(row - 1) * width + column] + 1,
                table[row * width + column - 1] + 1,
                table[(row - 1) * width + column - 1] + cost
            )
            if row > 1, column > 1, source[row - 1] == target[column - 2], source[row - 2] == target[column - 1] {
                value = min(value, table[(row - 2) * width + column - 2] + 1)
            }
            table[row * width + column] = value
        }
    }
    return table[source.count * width + target.count]
}
