import ChurnModel
import ChurnStorage
import ChurnSyntax
import Foundation

/// The dot-commands: shell settings and cube inspection, one line each, no `;`.
extension Session {
    /// Every dot-command with its arguments, the most it takes, and what it does, for `.help`,
    /// completion and refusing extra arguments.
    static let dotCommands: [(name: String, arguments: String, maximumArguments: Int, summary: String)] = [
        (".help", "", 0, "show this list"),
        (".cubes", "", 0, "list the open cubes"),
        (".describe", "[cube]", 1, "dimensions, levels, hierarchies, measures and facts of a cube"),
        (".mode", "table|csv|json|markdown|line|heatmap", 1, "how results are printed"),
        (".output", "[file]", 1, "send results to a file; no file: back to standard output"),
        (".timer", "on|off", 1, "print each statement's run time and row count on standard error"),
        (".read", "file", 1, "run the statements and dot-commands of a script"),
        (".bail", "on|off", 1, "stop a script at its first error (on by default)"),
        (".open", "file [--cube definition.yaml]", 3, "open a CSV file or a snapshot instead of the current cube"),
        (".save", "file", 1, "write the open cube to a snapshot"),
        (".stats", "", 0, "memory per column, compressed and raw, and the cache of decompressed chunks"),
        (".quit", "", 0, "leave (also .exit, or Ctrl-D)"),
        (".exit", "", 0, "leave"),
    ]

    /// The dot-commands whose arguments are file names.
    static let fileCommands: Set<String> = [".read", ".open", ".output", ".save"]

    /// `~` and `~/path` name the home directory ($HOME, as a shell reads it), `~user/path` another user's.
    func expandingTilde(_ path: String) -> String {
        guard path.hasPrefix("~") else { return path }
        if path == "~" || path.hasPrefix("~/"), let home = environment["HOME"], !home.isEmpty {
            return home + path.dropFirst()
        }
        return (path as NSString).expandingTildeInPath
    }

    /// `usage: .name arguments`, as the errors of a dot-command end.
    static func usage(of name: String) -> String {
        guard let command = dotCommands.first(where: { $0.name == name }) else { return "" }
        return command.arguments.isEmpty ? "usage: \(name)" : "usage: \(name) \(command.arguments)"
    }

    /// Words of a dot-command line; single or double quotes group a file name with spaces.
    static func words(of line: String) -> [String] {
        var words: [String] = []
        var current = ""
        var quote: Character?
        var inWord = false
        for character in line {
            if let open = quote {
                if character == open { quote = nil } else { current.append(character) }
            } else if character == "'" || character == "\"" {
                quote = character
                inWord = true
            } else if character.isWhitespace {
                if inWord { words.append(current) }
                current = ""
                inWord = false
            } else {
                current.append(character)
                inWord = true
            }
        }
        if inWord { words.append(current) }
        return words
    }

    func runDotCommand(_ unit: ScriptUnit, origin: ScriptOrigin) -> RunOutcome {
        let words = Self.words(of: unit.text)
        guard let command = words.first?.lowercased() else { return .succeeded }
        // File names may start with ~ as in a shell; nothing else here would.
        let arguments = words.dropFirst().map { Self.fileCommands.contains(command) ? expandingTilde($0) : $0 }
        func fail(_ message: String) -> RunOutcome {
            reportMessage(message, in: unit, origin: origin)
            return .failed
        }
        func flag(_ name: String) -> Bool? {
            guard arguments.count == 1 else { return nil }
            switch arguments[0].lowercased() {
            case "on", "true", "1", "yes": return true
            case "off", "false", "0", "no": return false
            default: return nil
            }
        }
        if let known = Self.dotCommands.first(where: { $0.name == command }), arguments.count > known.maximumArguments {
            let extra = arguments[known.maximumArguments...].joined(separator: " ")
            return fail("\(command) does not take '\(extra)'; \(Self.usage(of: command))")
        }

        switch command {
        case ".help":
            print(helpText)
        case ".cubes":
            print("\(cube.name)  \(NumberText.count(rowCount, "row"))  (\(source))")
        case ".describe":
            if let name = arguments.first, name.lowercased() != cube.name.lowercased() {
                return fail("no cube named '\(name)'; the open cube is '\(cube.name)'")
            }
            print(CubeOverview.render(cube, rowCount: rowCount))
        case ".mode":
            guard let name = arguments.first else {
                print("mode: \(mode.rawValue)")
                return .succeeded
            }
            guard let chosen = OutputMode(rawValue: name.lowercased()) else {
                return fail("unknown mode '\(name)'; choose one of \(OutputMode.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            mode = chosen
        case ".output":
            guard let path = arguments.first else {
                output.close()
                output = OutputTarget()
                return .succeeded
            }
            guard let file = OutputTarget.file(path) else {
                return fail("cannot write to '\(path)': \(String(cString: strerror(errno)))")
            }
            output.close()
            output = file
        case ".timer":
            guard let on = flag(command) else { return fail(Self.usage(of: command)) }
            timer = on
        case ".bail":
            guard let on = flag(command) else { return fail(Self.usage(of: command)) }
            bail = on
        case ".read":
            guard arguments.count == 1 else { return fail(Self.usage(of: command)) }
            guard let script = try? String(contentsOfFile: arguments[0], encoding: .utf8) else {
                return fail("cannot read '\(arguments[0])': \(FileManager.default.fileExists(atPath: arguments[0]) ? "not UTF-8 text" : "no such file")")
            }
            let outcome = runScript(script, origin: .file(arguments[0]))
            // An error inside the script was reported there; the .read itself failed.
            return outcome
        case ".open":
            return openData(arguments, unit: unit, origin: origin, fail: fail)
        case ".save":
            guard arguments.count == 1 else { return fail(Self.usage(of: command)) }
            do {
                try DataOpener.saveSnapshot(cube, to: arguments[0])
                print("saved cube '\(cube.name)' to \(arguments[0])")
            } catch {
                return fail(error.description)
            }
        case ".stats":
            print(StoreStatistics.render(cube))
        case ".quit", ".exit":
            return .quit
        default:
            let names = Self.dotCommands.map(\.name)
            // No command is longer than a dozen letters: a long word is no misspelling of one,
            // and measuring its distance to each would cost time quadratic in its length.
            let suggestion = command.count > 24 ? nil : names.min { editDistance($0, command) < editDistance($1, command) }
            let hint = suggestion.map { editDistance($0, command) <= 2 ? "; did you mean '\($0)'?" : "" } ?? ""
            let shown = command.count > 64 ? String(command.prefix(64)) + "…" : command
            return fail("unknown command '\(shown)'\(hint) (.help lists them)")
        }
        return .succeeded
    }

    private func openData(_ arguments: [String], unit: ScriptUnit, origin: ScriptOrigin, fail: (String) -> RunOutcome) -> RunOutcome {
        var path: String?
        var cubePath: String?
        var index = 0
        while index < arguments.count {
            if arguments[index] == "--cube" {
                guard index + 1 < arguments.count else { return fail("--cube needs a cube definition file") }
                cubePath = arguments[index + 1]
                index += 2
            } else if path == nil {
                path = arguments[index]
                index += 1
            } else {
                return fail("usage: .open file [--cube definition.yaml]")
            }
        }
        guard let path else { return fail("usage: .open file [--cube definition.yaml]") }
        do {
            let opened = try DataOpener.open(data: path, cubePath: cubePath)
            // Loading does not stop on Ctrl-C; what it loaded is not opened.
            if InterruptSignal.cancellation.isCancelled {
                reportCancelled(unit, origin: origin)
                return .interrupted
            }
            do { try replaceCube(with: opened) } catch { return fail("\(error)") }
            print("opened cube '\(cube.name)': \(NumberText.count(cube.store.rowCount, "row")) from \(path) in \(String(format: "%.2f", opened.seconds)) s")
            return .succeeded
        } catch {
            return fail(error.description)
        }
    }

    /// The form of every statement, for `.help`.
    static let statementSyntax = [
        "SELECT items [FROM cube] [WHERE condition] [GROUP BY items | ROLLUP(...) | CUBE(...) | GROUPING SETS(...)]",
        "       [HAVING condition] [ORDER BY items [ASC|DESC] [NULLS FIRST|LAST]] [LIMIT n] [OFFSET n]",
        "SELECT dimensions, measures ... GROUP BY ... COMPARE period = 'p1' TO period = 'p2'",
        "HOTSPOTS measure [FROM cube] [WHERE condition] BY dimension, ... | BY * [DEPTH n] [MIN SUPPORT n]",
        "         [VERSUS expected|parent|global] [HOT|COLD|BOTH] [ORDER BY impact|lift|support] [LIMIT n]",
        "DRILL measure [FROM cube] [WHERE condition] TO dimension = 'member' [AND ...]",
        "PIVOT measure [FROM cube] [WHERE condition] ROWS dimension COLUMNS dimension",
        "COHORT logo_retention|revenue_retention|measure [FROM cube] [WHERE condition] [BY dimension|quarter] [MONTHS n]",
        "WHY measure [FROM cube] [WHERE condition] CHANGED FROM 'period' TO 'period' [BY dimension, ... | BY *] [DEPTH n] [LIMIT n]",
        "TREND measure [FROM cube] [WHERE condition] BY dimension [LAST n MONTHS]",
        "PARETO measure [FROM cube] [WHERE condition] [BY dimension]",
        "BACKTEST rule | WHEN condition [HORIZON n] [FROM cube] [WHERE condition] [BY dimension]",
        "HEALTH [dimension | numeric column | ratio measure] [HORIZON n] [FROM cube] [WHERE condition]",
        "ALERTS [rule, ... | WHEN condition] [AS OF 'month'] [FROM cube] [WHERE condition] [ORDER BY ...] [LIMIT n]",
        "  conditions of ALERTS, BACKTEST and SELECT may read the account's history: previous(column, n), avg_previous(column, n)",
        "DESCRIBE [cube]        EXPLAIN SELECT ... | EXPLAIN HOTSPOTS ...        SAVE 'file.ccube'",
    ]

    private var helpText: String {
        let width = Self.dotCommands.map { ($0.name + " " + $0.arguments).count }.max() ?? 0
        var lines = Self.dotCommands.map { command in
            let usage = command.arguments.isEmpty ? command.name : command.name + " " + command.arguments
            return usage + String(repeating: " ", count: width - usage.count) + "  " + command.summary
        }
        lines.append("")
        lines.append("Statements end with ';' and may span lines:")
        lines += Self.statementSyntax.map { "  " + $0 }
        lines.append("")
        lines.append("Tab completes keywords, names of the cube and member values; Ctrl-R searches history;")
        lines.append("Ctrl-C cancels the line or the running statement; Ctrl-D leaves.")
        return lines.joined(separator: "\n")
    }
}

/// Levenshtein distance, for "did you mean" hints.
func editDistance(_ left: String, _ right: String) -> Int {
    let a = Array(left), b = Array(right)
    var previous = Array(0...b.count)
    for i in 1...max(a.count, 1) where !a.isEmpty {
        var current = [i] + Array(repeating: 0, count: b.count)
        for j in 1...max(b.count, 1) where !b.isEmpty {
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
        }
        previous = current
    }
    return a.isEmpty ? b.count : previous[b.count]
}
