import ChurnAnalysis
import ChurnGenerator
import ChurnIngest
import ChurnModel
import ChurnQuery
import ChurnSyntax
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import SparkTestSupport
import Testing

/// The standalone cluster `.ci/spark-cluster-start` brings up: a master and two workers of one
/// core each on loopback, with a Connect server whose application has one executor per worker.
/// `SPARK_CLUSTER_URL` is its Connect URL, `SPARK_CLUSTER_REST` its driver's REST API.
enum SparkTestCluster {
    static var url: String? { SparkTestEnvironment.clusterURL }
    static var rest: String? { SparkTestEnvironment.clusterREST }
    static var isEnabled: Bool { SparkTestEnvironment.isClusterEnabled }
    static let skipReason = Comment(rawValue: SparkTestEnvironment.clusterSkipReason)

    struct Executor: Decodable {
        var id: String
        var totalTasks: Int
        var isActive: Bool
    }

    struct Application: Decodable {
        var id: String
    }

    /// A blocking GET, for the thread the Spark client runs on (see the test).
    static func get<Value: Decodable>(_ path: String, as type: Value.Type) throws -> Value {
        guard let base = rest, let url = URL(string: base + path) else { throw SparkTestUnavailable("SPARK_CLUSTER_REST is not set") }
        let done = DispatchSemaphore(value: 0)
        nonisolated(unsafe) var answer: (data: Data?, response: URLResponse?, error: (any Error)?) = (nil, nil, nil)
        URLSession.shared.dataTask(with: url) { data, response, error in
            answer = (data, response, error)
            done.signal()
        }.resume()
        guard done.wait(timeout: .now() + 30) == .success else { throw SparkTestUnavailable("GET \(url): no answer in 30 s") }
        if let error = answer.error { throw error }
        let status = (answer.response as? HTTPURLResponse)?.statusCode ?? 0
        guard status == 200, let data = answer.data else { throw SparkTestUnavailable("GET \(url): HTTP \(status)") }
        return try JSONDecoder().decode(type, from: data)
    }

    /// Tasks run so far by each active executor of the Connect server's application, the
    /// driver left out.
    static func tasksByExecutor() throws -> [String: Int] {
        let applications = try get("/applications", as: [Application].self)
        guard let application = applications.first else { throw SparkTestUnavailable("the cluster's Connect server has no application") }
        let executors = try get("/applications/\(application.id)/executors", as: [Executor].self)
        var tasks: [String: Int] = [:]
        for executor in executors where executor.id != "driver" && executor.isActive { tasks[executor.id] = executor.totalTasks }
        return tasks
    }
}

/// Statements on a real standalone cluster: their scans are split into tasks that run on both
/// executors, and the answers are the in-memory engine's.
@Suite(.serialized, .enabled(if: SparkTestCluster.isEnabled, SparkTestCluster.skipReason))
struct SparkClusterTests {
    @Test func statementsRunOnBothExecutorsAndMatchTheInMemoryEngine() async throws {
        let directory = try DifferentialTests.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let bytes = FactGenerator(options: GeneratorOptions(rows: 30_000, seed: 17, order: .period)).bytes()
        let csvPath = directory + "/facts.csv"
        #expect(FileManager.default.createFile(atPath: csvPath, contents: Data(bytes)))
        let (cube, _) = try CSVLoader.load(path: csvPath, options: IngestOptions(cubePath: PackagePaths.path("Cubes/subscriptions.yaml")))
        let local = StatementRunner(engine: try QueryEngine(cube: cube))

        // The same rows as eight files, so that Spark reads them in several tasks.
        let parts = directory + "/parts"
        try FileManager.default.createDirectory(atPath: parts, withIntermediateDirectories: true)
        let lines = String(decoding: bytes, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: true)
        let header = lines[0], rows = lines.dropFirst()
        let partCount = 8, perPart = (rows.count + partCount - 1) / partCount
        for part in 0..<partCount {
            let slice = rows.dropFirst(part * perPart).prefix(perPart)
            let text = ([header] + slice).joined(separator: "\n") + "\n"
            try text.write(toFile: parts + "/part-\(part).csv", atomically: false, encoding: .utf8)
        }

        let clusterURL = try #require(SparkTestCluster.url)
        let statements = [
            "SELECT region, segment, logo_churn_rate, mrr, nrr FROM subscriptions GROUP BY ROLLUP(region, segment) ORDER BY region, segment",
            "HOTSPOTS logo_churn_rate BY channel, segment, region, plan DEPTH 2 MIN SUPPORT 200 LIMIT 20",
        ]
        // All of it on one thread of its own, the connection closed there too: closing blocks,
        // and must not happen on the cooperative pool when the test lets go of it.
        let (before, results, after) = try await offCooperativePool {
            let connection = try SparkTestServer.connection(view: "cluster_facts", csvPath: parts, definition: cube.definition, url: clusterURL)
            // One partition per file: small files are otherwise packed into a task or two.
            _ = try connection.run("SET spark.sql.files.maxPartitionBytes=65536", cancellation: .never)
            _ = try connection.run("SET spark.sql.files.openCostInBytes=65536", cancellation: .never)
            let remote = StatementRunner(engine: try RemoteCubeOpener(definition: cube.definition, connection: connection).open().engine)
            let before = try SparkTestCluster.tasksByExecutor()
            let results = try statements.map { ($0, try local.execute(try Parser.parseStatement($0)), try remote.execute(try Parser.parseStatement($0))) }
            return (before, results, try SparkTestCluster.tasksByExecutor())
        }
        #expect(before.count == 2, "the cluster should have two executors, one per worker: \(before)")

        for (statement, expected, actual) in results {
            #expect(!expected.rows.isEmpty, "\(statement)")
            #expect(actual.columns == expected.columns, "\(statement)")
            if let difference = DifferentialRun.compare(actual.rows.map { $0.map(OracleValue.init) }, expected.rows.map { $0.map(OracleValue.init) },
                                                        keyCount: 0, ordered: true) {
                Issue.record("\(statement): \(difference)")
            }
        }
        #expect(Set(after.keys) == Set(before.keys), "executors changed while the statements ran: \(before) then \(after)")
        for (executor, tasksBefore) in before {
            let ran = (after[executor] ?? tasksBefore) - tasksBefore
            #expect(ran > 0, "executor \(executor) ran no task of the statements: \(before) then \(after)")
        }
    }
}
