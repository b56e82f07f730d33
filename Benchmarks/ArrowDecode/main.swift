// Decodes Arrow IPC stream files with ChurnCube's reader, as the Spark client decodes query
// results, and prints how fast: one JSON object per file on standard output.
//
//   arrow-decode [--repeat N] FILE...
//
// Each file is read into memory once; the time is that of ArrowStreamReader.read on the bytes
// (the median of N runs after one untimed run), so disk and network are left out.
import ChurnArrow
import Foundation

func fail(_ message: String) -> Never {
    FileHandle.standardError.write(Data("arrow-decode: \(message)\n".utf8))
    exit(1)
}

var repeats = 5
var paths: [String] = []
var arguments = CommandLine.arguments.dropFirst()
while let argument = arguments.popFirst() {
    if argument == "--repeat" {
        guard let value = arguments.popFirst().flatMap(Int.init), value > 0 else { fail("--repeat needs a positive number") }
        repeats = value
    } else if argument.hasPrefix("-") {
        fail("unknown option \(argument); usage: arrow-decode [--repeat N] FILE...")
    } else {
        paths.append(argument)
    }
}
if paths.isEmpty { fail("usage: arrow-decode [--repeat N] FILE...") }

for path in paths {
    guard let data = FileManager.default.contents(atPath: path) else { fail("\(path): cannot read") }
    let bytes = [UInt8](data)
    var seconds: [Double] = []
    var rows = 0, columns = 0
    for attempt in 0...repeats {
        let started = DispatchTime.now().uptimeNanoseconds
        let stream: ArrowStream
        do { stream = try ArrowStreamReader.read(bytes) } catch { fail("\(path): \(error)") }
        let elapsed = Double(DispatchTime.now().uptimeNanoseconds - started) / 1e9
        rows = stream.batches.reduce(0) { $0 + $1.rowCount }
        columns = stream.schema.fields.count
        if attempt > 0 { seconds.append(elapsed) }
    }
    let median = seconds.sorted()[seconds.count / 2]
    let report: [String: Any] = [
        "file": path, "bytes": bytes.count, "rows": rows, "columns": columns, "seconds": seconds,
        "rows_per_second": Double(rows) / median, "megabytes_per_second": Double(bytes.count) / median / 1e6,
    ]
    let json = try JSONSerialization.data(withJSONObject: report, options: [.sortedKeys])
    print(String(decoding: json, as: UTF8.self))
}
