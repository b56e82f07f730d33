import ChurnModel
import ChurnStorage
import ChurnSyntax
import Foundation

/// The dot-commands: shell settings and cube inspection, one line each, no `;`.
extension Session {
    /// Every dot-command with its arguments and what it does, for `.help` and completion.
    static let dotCommands: [(name: String, arguments: String, summary: String)] = [
        (".help", "", "show this list"),
        (".cubes", "", "list the open cubes"),
        (".describe", "[cube]", "dimensions, levels, hierarchies, measures and facts of a cube"),
        (".mode", "table|csv|json|markdown|line|heatmap", "how results are printed"),
        (".output", "[file]", "send results to a file; no file: back to standard output"),
        (".timer", "on|off", "print each statement's run time on standard error"),
        (".read", "file", "run the statements and dot-commands of a script"),
        (".bail", "on|off", "stop a script at its first error (on by default)"),
        (".open", "file [--cube definition.yaml]", "open a CSV file or a snapshot instead of the current cube"),
        (".save", "file", "write the open cube to a snapshot"),
        (".stats", "", "memory per column, compressed and raw"),
        (".quit", "", "leave (also .exit, or Ctrl-D)"),
        (".exit", "", "leave"),
    ]

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
        let arguments = Array(words.dropFirst())
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

        switch command {
        case ".help":
            print(helpText)
        case ".cubes":
            print("\(cube.name)  \(NumberText.grouped(cube.store.rowCount)) rows  (\(source))")
        case ".describe":
            if let name = arguments.first, name.lowercased() != cube.name.lowercased() {
                return fail("no cube named '\(name)'; the open cube is '\(cube.name)'")
            }
            print(CubeOverview.render(cube))
        case ".mode":
            guard let name = arguments.first else {
                print("mode: \(mode.rawValue)")
                return .succeeded
            }
            guard arguments.count == 1, let chosen = OutputMode(rawValue: name.lowercased()) else {
                return fail("unknown mode '\(arguments.joined(separator: " "))'; choose one of \(OutputMode.allCases.map(\.rawValue).joined(separator: ", "))")
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
            guard let on = flag(command) else { return fail("usage: .timer on|off") }
            timer = on
        case ".bail":
            guard let on = flag(command) else { return fail("usage: .bail on|off") }
            bail = on
        case ".read":
            guard arguments.count == 1 else { return fail("usage: .read file") }
            guard let script = try? String(contentsOfFile: arguments[0], encoding: .utf8) else {
                return fail("cannot read '\(arguments[0])': \(FileManager.default.fileExists(atPath: arguments[0]) ? "not UTF-8 text" : "no such file")")
            }
            let outcome = runScript(script, origin: .file(arguments[0]))
            // An error inside the script was reported there; the .read itself failed.
            return outcome
        case ".open":
            return openData(arguments, fail: fail)
        case ".save":
            guard arguments.count == 1 else { return fail("usage: .save file") }
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
            let suggestion = names.min { editDistance($0, command) < editDistance($1, command) }
            let hint = suggestion.map { editDistance($0, command) <= 2 ? "; did you mean '\($0)'?" : "" } ?? ""
            return fail("unknown command '\(command)'\(hint) (.help lists them)")
        }
        return .succeeded
    }

    private func openData(_ arguments: [String], fail: (String) -> RunOutcome) -> RunOutcome {
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
            do { try replaceCube(with: opened) } catch { return fail("\(error)") }
            print("opened cube '\(cube.name)': \(NumberText.grouped(cube.store.rowCount)) rows from \(path) in \(String(format: "%.2f", opened.seconds)) s")
            return .succeeded
        } catch {
            return fail(error.description)
        }
    }

    private var helpText: String {
        let width = Self.dotCommands.map { ($0.name + " " + $0.arguments).count }.max() ?? 0
        var lines = Self.dotCommands.map { command in
            let usage = command.arguments.isEmpty ? command.name : command.name + " " + command.arguments
            return usage + String(repeating: " ", count: width - usage.count) + "  " + command.summary
        }
        lines.append("")
        lines.append("Statements end with ';' and may span lines: SELECT, DESCRIBE, EXPLAIN, HOTSPOTS, DRILL, PIVOT, SAVE.")
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
