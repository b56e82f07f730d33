import ArgumentParser
import ChurnGenerator

/// `churncube generate`: writes synthetic customer-month facts as CSV.
struct Generate: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Write synthetic customer-month facts (cube 'subscriptions') as CSV.",
        discussion: """
            The same arguments give byte-identical output on every machine. By default the data \
            has planted churn and revenue hot-spots (see Samples/README.md); --no-effects makes \
            churn, cancellation and downsell independent of every dimension; --shift plants a \
            change over time (with or without the other effects).
            """
    )

    @Option(help: "Number of data rows to write, after the header.")
    var rows: Int = 1_000_000

    @Option(help: "Seed of the random streams.")
    var seed: UInt64 = 42

    @Option(name: .shortAndLong, help: ArgumentHelp("Output file; '-' or none for standard output.", valueName: "path"))
    var out: String?

    @Flag(inversion: .prefixedNo, help: "Plant churn and revenue hot-spots.")
    var effects = true

    @Flag(help: "Plant a change: from 2025-07 on, logo churn of mid_market accounts in emea triples.")
    var shift = false

    @Option(help: "Row order: 'account' (grouped by account) or 'period' (by period, then account).")
    var order: RowOrder = .account

    @Flag(help: "Also plant campaign = search AND region = apac (churn x2); off by default, so the default data do not change.")
    var campaignRegion = false

    func validate() throws {
        guard rows >= 0 else { throw ValidationError("--rows must be 0 or more, not \(rows)") }
        if campaignRegion && !effects { throw ValidationError("--campaign-region plants an effect; it cannot go with --no-effects") }
        if let out, out.isEmpty { throw ValidationError("--out needs a path, or '-' for standard output") }
    }

    func run() throws {
        let generator = FactGenerator(
            options: GeneratorOptions(rows: rows, seed: seed, plantedEffects: effects, order: order,
                                      campaignRegionInteraction: campaignRegion, plantedShift: shift))
        let progress = ProgressBar(enabled: FileDescriptor.standardError.isTerminal, label: "generating", unit: .rows)
        defer { progress.finish() }

        guard let out, out != "-" else {
            var sink = FileDescriptorSink.standardOutput
            try generator.write(to: &sink) { progress.update(done: $0, total: rows) }
            return
        }
        var sink = try AtomicFileSink(path: out)
        try generator.write(to: &sink) { progress.update(done: $0, total: rows) }
        try sink.commit()
    }
}
