import ArgumentParser

/// The `churncube` command line: one subcommand per task.
@main
struct ChurnCubeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "churncube",
        abstract: "An OLAP cube engine for finding where customer churn happens.",
        subcommands: [Generate.self, Ingest.self, Append.self, Info.self]
    )
}
