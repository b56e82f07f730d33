import Foundation

/// The persistent history in `~/.churncube_history`: one entry per line, a multi-line statement
/// kept as one entry with its line breaks written as `\n` (and backslashes as `\\`).
struct HistoryFile {
    let path: String
    static let keptEntryCount = 2000

    /// `$HOME/.churncube_history`, or nil without a home directory.
    static func standard(environment: [String: String]) -> HistoryFile? {
        guard let home = environment["HOME"], !home.isEmpty else { return nil }
        return HistoryFile(path: (home as NSString).appendingPathComponent(".churncube_history"))
    }

    /// The entries, oldest first; the file is trimmed to the newest `keptEntryCount`.
    func load() -> [String] {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return [] }
        let entries = text.split(separator: "\n", omittingEmptySubsequences: true).map { Self.decode(String($0)) }
        if entries.count > 2 * Self.keptEntryCount {
            let kept = Array(entries.suffix(Self.keptEntryCount))
            try? (kept.map(Self.encode).joined(separator: "\n") + "\n").write(toFile: path, atomically: true, encoding: .utf8)
            return kept
        }
        return entries
    }

    /// Appends one entry at once, so a crash loses nothing and parallel sessions both keep theirs.
    func append(_ entry: String) {
        let line = Self.encode(entry) + "\n"
        if let handle = FileHandle(forWritingAtPath: path) {
            handle.seekToEndOfFile()
            handle.write(Data(line.utf8))
            handle.closeFile()
        } else {
            _ = FileManager.default.createFile(atPath: path, contents: Data(line.utf8), attributes: [.posixPermissions: 0o600])
        }
    }

    static func encode(_ entry: String) -> String {
        entry.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\n", with: "\\n")
    }

    static func decode(_ line: String) -> String {
        var result = ""
        var escaped = false
        for character in line {
            if escaped {
                result.append(character == "n" ? "\n" : character)
                escaped = false
            } else if character == "\\" {
                escaped = true
            } else {
                result.append(character)
            }
        }
        return result
    }
}
