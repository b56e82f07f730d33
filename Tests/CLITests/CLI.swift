import Foundation

/// Runs the built `churncube` binary as a person or a scheduled job would.
enum CLI {
    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path
    static let binary = packageRoot + "/.build/debug/churncube"
    static let cubeDefinition = packageRoot + "/Cubes/subscriptions.yaml"

    struct Run {
        var status: Int32
        var standardOutput: String
        var standardError: String
    }

    /// A fresh temporary directory.
    static func temporaryDirectory() throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("churncube-cli-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    /// A small facts file of the subscriptions cube (2,000 generated rows), made once.
    static let smallFacts: String = {
        let directory = try! temporaryDirectory()
        let path = directory + "/facts.csv"
        let run = try! CLI.run(["generate", "--rows", "2000", "--seed", "7", "--out", path])
        precondition(run.status == 0, run.standardError)
        return path
    }()

    /// The bundled sample cube (200,000 rows) as a snapshot, made once: big enough that a deep
    /// HOTSPOTS runs for many seconds.
    static let sampleSnapshot: String = {
        let path = try! temporaryDirectory() + "/sample.ccube"
        let run = try! CLI.run(["ingest", packageRoot + "/Samples/subscriptions.csv.zst", "--cube", cubeDefinition, "--out", path])
        precondition(run.status == 0, run.standardError)
        return path
    }()

    /// A statement the sample takes tens of seconds to answer, in the debug build.
    static let longHotspots = "HOTSPOTS logo_churn_rate BY * DEPTH 4 MIN SUPPORT 1;"

    static func run(_ arguments: [String], input: String? = nil, directory: String? = nil,
                    environment: [String: String] = [:]) throws -> Run {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = arguments
        process.currentDirectoryURL = URL(fileURLWithPath: directory ?? packageRoot)
        var merged = ProcessInfo.processInfo.environment
        merged["NO_COLOR"] = "1"
        for (key, value) in environment { merged[key] = value }
        process.environment = merged
        let output = Pipe(), error = Pipe(), standardInput = Pipe()
        process.standardOutput = output
        process.standardError = error
        process.standardInput = standardInput
        try process.run()
        if let input { standardInput.fileHandleForWriting.write(Data(input.utf8)) }
        try standardInput.fileHandleForWriting.close()
        // Read both pipes while the process runs so neither fills up.
        nonisolated(unsafe) var errorData = Data()
        let reader = Thread { errorData = error.fileHandleForReading.readDataToEndOfFile() }
        reader.start()
        let outputData = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        while !reader.isFinished { Thread.sleep(forTimeInterval: 0.005) }
        return Run(status: process.terminationStatus, standardOutput: String(decoding: outputData, as: UTF8.self),
                   standardError: String(decoding: errorData, as: UTF8.self))
    }

    /// Starts every command at once and waits for all of them; for commands that print less than
    /// a pipe holds (64 KB), as the pipes are read once they have exited.
    static func runTogether(_ commands: [[String]], environment: [String: String] = [:]) throws -> [Run] {
        let started = try commands.map { try start($0, environment: environment) }
        return started.map { process, output, error in
            process.waitUntilExit()
            return Run(status: process.terminationStatus,
                       standardOutput: String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self),
                       standardError: String(decoding: error.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self))
        }
    }

    /// Starts the command with no standard input and pipes for its output, for a test that acts
    /// on the process while it runs (interrupts it, starts others beside it).
    static func start(_ arguments: [String], environment: [String: String] = [:]) throws -> (process: Process, output: Pipe, error: Pipe) {
        var merged = ProcessInfo.processInfo.environment
        merged["NO_COLOR"] = "1"
        for (key, value) in environment { merged[key] = value }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = arguments
        process.currentDirectoryURL = URL(fileURLWithPath: packageRoot)
        process.environment = merged
        let output = Pipe(), error = Pipe()
        process.standardOutput = output
        process.standardError = error
        process.standardInput = FileHandle.nullDevice
        try process.run()
        return (process, output, error)
    }

    /// Runs with the small facts file and the subscriptions cube definition.
    static func runOnSmallFacts(_ arguments: [String], input: String? = nil, environment: [String: String] = [:]) throws -> Run {
        try run(arguments + [smallFacts, "--cube", cubeDefinition], input: input, environment: environment)
    }
}
