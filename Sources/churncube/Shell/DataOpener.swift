import ChurnIngest
import ChurnModel
import Foundation
import ChurnSnapshot

/// Opens what the command line or `.open` names: a CSV (with an optional cube definition), a
/// snapshot, or, with nothing named, the bundled sample.
enum DataOpener {
    /// A cube ready to query, with where it came from.
    struct Opened {
        var cube: Cube
        var source: String
        var seconds: Double
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
