import ArgumentParser
import Foundation

/// The `churncube` command line: one subcommand per task; with none, the query shell.
@main
struct ChurnCubeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "churncube",
        abstract: "An OLAP cube engine for finding where customer churn happens.",
        subcommands: [Shell.self, Generate.self, Ingest.self, Append.self, Info.self],
        defaultSubcommand: Shell.self
    )

    /// Runs the command; a bad command line exits with status 2 (not ArgumentParser's 64), like
    /// every other command-line tool an analyst scripts around.
    static func main() {
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
}
