import ArgumentParser
import Foundation

/// The `churncube` command line: one subcommand per task; with none, the query shell.
@main
struct ChurnCubeCommand: ParsableCommand {
    static let version = "0.1.0"

    static let configuration = CommandConfiguration(
        commandName: "churncube",
        abstract: "An OLAP cube engine for finding where customer churn happens.",
        version: "churncube \(version)",
        subcommands: [Shell.self, Generate.self, Ingest.self, Append.self, Info.self],
        defaultSubcommand: Shell.self
    )

    /// Runs the command; a bad command line exits with status 2 (not ArgumentParser's 64), like
    /// every other command-line tool an analyst scripts around.
    static func main() {
        let arguments = Array(CommandLine.arguments.dropFirst())
        if arguments == ["--help"] || arguments == ["-h"] {
            print(rootHelp)
            return
        }
        if arguments == ["--version"] {
            print("churncube \(version)")
            return
        }
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch let failure as CommandFailure {
            FileHandle.standardError.write(Data("churncube: \(failure.message)\n".utf8))
            Foundation.exit(failure.status)
        } catch {
            if exitCode(for: error) == .validationFailure {
                FileHandle.standardError.write(Data((fullMessage(for: error) + "\n").utf8))
                Foundation.exit(2)
            }
            exit(withError: error)
        }
    }

    /// `churncube --help`: the shell is the default command, so its arguments and options come
    /// first, then the other subcommands.
    static var rootHelp: String {
        let shell = helpMessage(for: Shell.self)
        let root = helpMessage()
        var lines: [String] = ["OVERVIEW: \(configuration.abstract)", ""]
        lines.append("Without a subcommand churncube runs the query shell ('churncube shell' is the same): interactive")
        lines.append("on a terminal; with -f, -c or statements piped in it runs them and exits.")
        lines.append("")
        var inShell = false
        for line in shell.split(separator: "\n", omittingEmptySubsequences: false).map(String.init) {
            if line.hasPrefix("USAGE: ") {
                lines.append(line.replacingOccurrences(of: "churncube shell ", with: "churncube "))
                lines.append("       churncube <subcommand>")
                inShell = true
                continue
            }
            if inShell { lines.append(line) }
        }
        while lines.last?.isEmpty == true { lines.removeLast() }
        if let subcommands = root.range(of: "SUBCOMMANDS:") {
            lines.append("")
            lines.append(String(root[subcommands.lowerBound...]).trimmingCharacters(in: .newlines))
        }
        return lines.joined(separator: "\n")
    }
}
