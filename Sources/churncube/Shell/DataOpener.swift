import ChurnIngest
import ChurnModel
import ChurnQuery
import ChurnSnapshot
import ChurnSpark
import Foundation

/// Opens what the command line or `.open` names: a CSV (with an optional cube definition), a
/// snapshot, or, with nothing named, the bundled sample.
enum DataOpener {
    /// A cube ready to query, with where it came from.
    struct Opened {
        var cube: Cube
        var source: String
        var seconds: Double
        /// The engine of a cube on a remote engine, whose store holds its members and no rows.
        var engine: QueryEngine? = nil
        /// Fact rows, wherever they are.
        var rowCount: Int

        init(cube: Cube, source: String, seconds: Double, engine: QueryEngine? = nil, rowCount: Int? = nil) {
            self.cube = cube
            self.source = source
            self.seconds = seconds
            self.engine = engine
            self.rowCount = rowCount ?? cube.store.rowCount
        }
    }

    /// Why data could not be opened, phrased for the user.
    struct OpenError: Error, CustomStringConvertible {
        var description: String
    }

    static func open(data: String?, cubePath: String?, progress: ProgressBar? = nil) throws(OpenError) -> Opened {
        let started = ContinuousClock.now
        let path: String
        var cubePath = cubePath
        if let data {
            path = data
        } else {
            guard let sample = SampleLocator.locate() else {
                throw OpenError(description: "cannot find the sample cube (\(SampleLocator.dataPath) and \(SampleLocator.cubePath)) "
                    + "in the current directory or above the executable; name a CSV file or snapshot to open")
            }
            path = sample.data
            cubePath = cubePath ?? sample.cube
        }
        guard FileManager.default.fileExists(atPath: path) else {
            throw OpenError(description: "\(path): no such file")
        }
        let cube: Cube
        // A file named as a snapshot is read as one, so one that is not says so rather than
        // loading as a CSV of one odd column.
        if isSnapshot(path) || hasSnapshotExtension(path) {
            cube = try openSnapshot(path)
        } else {
            var options = IngestOptions(cubePath: cubePath)
            if let progress { options.progress = { done, total in progress.update(done: done, total: total) } }
            do {
                cube = try CSVLoader.load(path: path, options: options).0
                progress?.finish()
            } catch {
                progress?.finish()
                throw OpenError(description: "\(error)")
            }
        }
        let elapsed = ContinuousClock.now - started
        return Opened(cube: cube, source: path, seconds: Double(elapsed.components.attoseconds) / 1e18 + Double(elapsed.components.seconds))
    }

    // MARK: - Remote engines

    /// A cube whose facts are a table of a Spark Connect server: `url` and `table` from the
    /// command line, or else the definition's `source:`.
    static func openRemote(url: String?, table: String?, cubePath: String?) throws(OpenError) -> Opened {
        let started = ContinuousClock.now
        guard let cubePath = cubePath ?? SampleLocator.locate()?.cube else {
            throw OpenError(description: "a remote engine needs a cube definition: give --cube <definition.yaml>")
        }
        let definition: CubeDefinition
        do { definition = try CubeDefinition.load(path: cubePath) } catch { throw OpenError(description: "\(error)") }
        guard let url = url ?? definition.source?.url else {
            throw OpenError(description: "\(cubePath): no engine to connect to: give --engine sc://host:port, or a source: section")
        }
        guard let table = table ?? definition.source?.table else {
            throw OpenError(description: "\(cubePath): no table named: give --table <name>, or table: in the source: section")
        }
        do {
            let connection = try SparkConnection.open(url: url, table: table)
            let opened = try RemoteCubeOpener(definition: definition, connection: connection).open(cancellation: InterruptSignal.cancellation)
            let elapsed = ContinuousClock.now - started
            return Opened(cube: opened.engine.cube, source: "\(table) on \(connection.location)",
                          seconds: Double(elapsed.components.attoseconds) / 1e18 + Double(elapsed.components.seconds),
                          engine: opened.engine, rowCount: opened.rowCount)
        } catch {
            throw OpenError(description: "\(url): \(error)")
        }
    }

    // MARK: - Snapshots

    static func isSnapshot(_ path: String) -> Bool {
        Snapshot.isSnapshot(path: path)
    }

    static func hasSnapshotExtension(_ path: String) -> Bool {
        path.lowercased().hasSuffix(".ccube")
    }

    /// Snapshot errors already begin with the file's path.
    private static func openSnapshot(_ path: String) throws(OpenError) -> Cube {
        do { return try Snapshot.open(path: path) } catch { throw OpenError(description: "\(error)") }
    }

    static func saveSnapshot(_ cube: Cube, to path: String) throws(OpenError) {
        do { try Snapshot.write(cube, to: path) } catch { throw OpenError(description: "\(error)") }
    }
}
