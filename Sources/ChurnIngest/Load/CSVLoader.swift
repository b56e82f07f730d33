import ChurnModel
import ChurnStorage
import Foundation

/// Settings of one load.
package struct IngestOptions: Sendable {
    /// A cube definition file; without one the schema is inferred from the CSV.
    package var cubePath: String?
    /// Skip and count rows that do not parse instead of stopping at the first.
    package var skipBadRows = false
    /// Called with (bytes consumed, total bytes) after each block.
    package var progress: (@Sendable (Int, Int) -> Void)?
    /// 32,768 rows: large enough that per-group costs vanish in scans, small enough that a
    /// drill-through to one account decodes little beyond its rows.
    package var rowGroupSize = 32_768
    /// Bytes of CSV read and parsed at a time; bounds the memory a load needs.
    package var blockSize = 32 << 20
    /// A cube to continue (a snapshot being refreshed): its definition replaces `cubePath`, and its
    /// dictionaries are extended, so existing codes keep their meaning and new values get new codes.
    package var continuing: Cube?

    package init(cubePath: String? = nil, skipBadRows: Bool = false) {
        self.cubePath = cubePath
        self.skipBadRows = skipBadRows
    }
}

/// Loads a CSV file into a cube: read blocks, cut them at record boundaries, parse the pieces in
/// parallel, merge their dictionaries in input order, and encode full row groups in parallel.
package enum CSVLoader {
    package static func load(path: String, options: IngestOptions) throws -> (Cube, IngestReport) {
        let started = DispatchTime.now()
        var report = IngestReport(path: path)
        let input = try InputSource(path: path)
        report.inputBytes = input.totalBytes

        var buffer = [UInt8](repeating: 0, count: options.blockSize)
        var filled = 0
        var atEnd = false
        func refill() throws {
            while filled < buffer.count && !atEnd {
                let count = try buffer.withUnsafeMutableBytes { raw in
                    try input.read(into: UnsafeMutableRawBufferPointer(rebasing: raw[filled...]))
                }
                if count == 0 { atEnd = true }
                filled += count
            }
        }
        try refill()

        // MARK: Header and schema
        var headerReader = SimpleRecordReader()
        var header: [String]? = nil
        while header == nil {
            let readable = filled
            header = buffer.withUnsafeBytes { headerReader.next(in: UnsafeRawBufferPointer(rebasing: $0[0..<readable]), atEnd: atEnd) }
            if let malformed = headerReader.malformed { throw IngestError.badRow(path: path, line: malformed.line, column: nil, problem: malformed.problem) }
            if header == nil {
                if atEnd { throw IngestError.badInput(path: path, message: "the file is empty: expected a header line") }
                // A header longer than the buffer: make room and read on.
                buffer.append(contentsOf: [UInt8](repeating: 0, count: buffer.count))
                try refill()
            }
        }
        let columnNames = header!.map { $0.trimmingCharacters(in: .whitespaces) }
        var seenNames: [String: Int] = [:]
        for (index, name) in columnNames.enumerated() {
            if name.isEmpty { throw IngestError.badRow(path: path, line: 1, column: nil, problem: "column \(index + 1) of the header has no name") }
            if let earlier = seenNames[name.lowercased()] {
                throw IngestError.badRow(path: path, line: 1, column: name, problem: "appears twice in the header (columns \(earlier + 1) and \(index + 1))")
            }
            seenNames[name.lowercased()] = index
        }

        var definition: CubeDefinition
        if let continuing = options.continuing {
            definition = continuing.definition
        } else if let cubePath = options.cubePath {
            definition = try CubeDefinition.load(path: cubePath)
        } else {
            var sampleReader = headerReader
            var sample: [[String]] = []
            let readable = filled
            buffer.withUnsafeBytes { raw in
                let bytes = UnsafeRawBufferPointer(rebasing: raw[0..<readable])
                while sample.count < SchemaInference.sampleRowCount, let record = sampleReader.next(in: bytes, atEnd: atEnd) {
                    sample.append(record)
                }
            }
            definition = SchemaInference.infer(name: cubeName(forPath: path), header: columnNames, sample: sample, origin: path)
            report.schemaInferred = true
        }

        // MARK: Plan each field
        let stored = definition.storedColumns
        var targets = [FieldTarget](repeating: .ignored, count: columnNames.count)
        var valueChecks = [DimensionValueCheck](repeating: .none, count: stored.count)
        for (slot, column) in stored.enumerated() {
            guard let field = seenNames[column.name.lowercased()] else {
                throw IngestError.missingColumn(path: path, column: column.name, declaredAt: definition.place(of: column.name))
            }
            switch column.type {
            case .dimension:
                targets[field] = .dimension(slot: slot)
                switch definition.dimension(named: column.name)?.kind ?? .text {
                case .text: valueChecks[slot] = .text
                case .month: valueChecks[slot] = .month
                case .quarter: valueChecks[slot] = .quarter
                }
            case .integer:
                // An inferred flag saw only the sample rows, so only declared flags are held to 0 or 1.
                let isFlag = definition.fact(named: column.name)?.kind == .flag && !report.schemaInferred
                targets[field] = isFlag ? .flag(slot: slot) : .scaled(slot: slot, scale: 0)
            case let .decimal(scale): targets[field] = .scaled(slot: slot, scale: scale)
            case .double: targets[field] = .double(slot: slot)
            }
        }
        report.ignoredColumns = zip(columnNames, targets).compactMap { name, target in target.slot == nil ? name : nil }

        // MARK: Parse, merge, encode
        var dictionaries = [ValueDictionary](repeating: ValueDictionary(), count: stored.count)
        if let continuing = options.continuing {
            guard continuing.store.columns.map(\.name) == stored.map(\.name) else {
                throw IngestError.badInput(path: path, message: "the cube to continue does not store its definition's columns")
            }
            dictionaries = continuing.store.columns.map(\.dictionary)
        }
        let dimensionSlots = stored.indices.filter { stored[$0].type == .dimension }
        let mergers = dimensionSlots.map { DictionaryMerger(continuing: dictionaries[$0]) }
        let mergerIndexes = stored.indices.map { slot in dimensionSlots.firstIndex(of: slot) }
        var chunks = [[ColumnChunk]](repeating: [], count: stored.count)
        let accumulator = RowGroupAccumulator(rowGroupSize: options.rowGroupSize, columnCount: stored.count)
        let types = stored.map(\.type)
        var consumed = headerReader.offset
        var linesBefore = headerReader.line - 1
        let pieceCount = max(2, ProcessInfo.processInfo.activeProcessorCount * 4)
        // Rows to be sorted are compressed after the sort, unless they arrive in key order.
        let sorting = definition.sortKey != .none
        // While a declared key finds the rows in order, their chunks are encoded for good at once.
        var orderCheck: KeyOrderCheck? = nil
        if case let .columns(names) = definition.sortKey {
            let keySlots = names.compactMap { name in stored.firstIndex { $0.name.lowercased() == name.lowercased() } }
            orderCheck = KeyOrderCheck(slots: keySlots, byValue: keySlots.map { definition.dimension(named: stored[$0].name)?.kind != .text })
        }
        var finalGroups = 0
        // The buffer the next block is read into while the current one is parsed.
        var spare: [UInt8] = []
        // One set of column buffers per piece, reused by every block.
        var parsedColumns: [ParsedColumns] = []
        // Per piece, per stored column: the distinct values the piece's last block had.
        var distinctCounts: [[Int]] = []

        func encodeSealed() throws {
            let groups = accumulator.takeSealed()
            guard !groups.isEmpty else { return }
            var final = !sorting
            if var check = orderCheck {
                var texts = [[String]](repeating: [], count: stored.count)
                for (slot, byValue) in zip(check.slots, check.byValue) where byValue {
                    texts[slot] = mergers[dimensionSlots.firstIndex(of: slot)!].dictionary.values
                }
                final = groups.allSatisfy { group in check.accepts(group.values) { slot, code in texts[slot][Int(code)] } }
                orderCheck = final ? check : nil
            }
            if final && sorting { finalGroups += groups.count }
            let encoded = try parallelMap(groups.count * stored.count) { task -> ColumnChunk in
                let group = groups[task / stored.count]
                let slot = task % stored.count
                return try group.values[slot].withUnsafeBufferPointer {
                    final ? try ChunkEncoder.encode($0, nulls: group.nulls[slot], type: types[slot])
                        : try PhysicalOrder.pendingChunk($0, nulls: group.nulls[slot])
                }
            }
            for (task, chunk) in encoded.enumerated() { chunks[task % stored.count].append(chunk) }
            accumulator.recycle(groups)
        }

        while true {
            let (cuts, usable) = buffer.withUnsafeBytes { raw in
                RecordBoundaries.split(UnsafeRawBufferPointer(rebasing: raw[consumed..<filled]), pieces: pieceCount, atEnd: atEnd)
            }
            if usable == 0 && !atEnd && consumed == 0 && filled == buffer.count {
                // One record larger than the whole buffer: make room for it.
                buffer.append(contentsOf: [UInt8](repeating: 0, count: buffer.count))
                try refill()
                continue
            }
            // Read what follows while this buffer is parsed.
            var prefetch: BufferPrefetch? = nil
            if !atEnd {
                if spare.count != buffer.count { spare = [UInt8](repeating: 0, count: buffer.count) }
                let (tailStart, tailEnd) = (consumed + usable, filled)
                let tail = buffer.withUnsafeBytes { UnsafeRawBufferPointer(rebasing: $0[tailStart..<tailEnd]) }
                prefetch = BufferPrefetch(from: input, tail: tail, into: spare.withUnsafeMutableBytes { $0 })
            }
            // The reader must be done with both buffers before they change or go away.
            defer { _ = try? prefetch?.wait() }
            let bounds = [0] + cuts + [usable]
            let expectedRows = max(16, usable / max(1, bounds.count - 1) / 64)
            let (readable, inputEnds) = (filled, atEnd)
            while parsedColumns.count < bounds.count - 1 {
                parsedColumns.append(ParsedColumns(columnCount: stored.count, rowCapacity: expectedRows))
            }
            let pieceColumns = parsedColumns
            let expectedDistinct = distinctCounts
            let blocks: [BlockParser] = buffer.withUnsafeBytes { raw in
                nonisolated(unsafe) let raw = raw
                return parallelMap(bounds.count - 1) { piece in
                    var parser = BlockParser(targets: targets, columnNames: columnNames, valueChecks: valueChecks,
                                             skipBadRows: options.skipBadRows, values: pieceColumns[piece],
                                             expectedDistinct: piece < expectedDistinct.count ? expectedDistinct[piece] : [])
                    parser.parse(UnsafeRawBufferPointer(rebasing: raw[(consumed + bounds[piece])..<readable]),
                                 recordsBefore: bounds[piece + 1] - bounds[piece], atEnd: inputEnds)
                    return parser
                }
            }
            distinctCounts = blocks.map { block in block.interners.map(\.count) }
            for block in blocks {
                if let failure = block.failure {
                    throw IngestError.badRow(path: path, line: linesBefore + failure.relativeLine, column: failure.column, problem: failure.problem)
                }
                report.skippedRowCount += block.rejectedCount
                for rejected in block.rejected where report.skippedRows.count < 20 {
                    let error = IngestError.badRow(path: path, line: linesBefore + rejected.relativeLine, column: rejected.column, problem: rejected.problem)
                    report.skippedRows.append(error.description)
                }
                report.rowCount += block.rowCount
                linesBefore += block.lineCount
            }
            // Columns are independent: each task merges one column's codes block by block, in
            // input order, and appends its rows, so the account ids' merge runs beside the rest.
            _ = parallelMap(stored.count) { slot in
                for block in blocks {
                    let codeMap = mergerIndexes[slot].map { index in
                        mergers[index].codeMap(for: block.interners[slot],
                                               isUnused: block.hasUnusedCodes(slot: slot) ? { block.isUnused($0, slot: slot) } : nil)
                    }
                    accumulator.append(slot: slot, of: block, codeMap: codeMap)
                }
            }
            try encodeSealed()
            consumed += usable
            if let prefetch {
                (filled, atEnd) = try prefetch.wait()
                swap(&buffer, &spare)
                consumed = 0
                options.progress?(input.consumedBytes, input.totalBytes)
                continue
            }
            options.progress?(input.consumedBytes, input.totalBytes)
            if atEnd && consumed >= filled { break }
            // Keep the incomplete tail and read after it.
            buffer.withUnsafeMutableBytes { raw in
                if consumed < filled { raw.baseAddress!.copyMemory(from: raw.baseAddress! + consumed, byteCount: filled - consumed) }
            }
            filled -= consumed
            consumed = 0
            try refill()
        }
        accumulator.seal()
        try encodeSealed()

        for (index, slot) in dimensionSlots.enumerated() { dictionaries[slot] = mergers[index].dictionary }
        if report.rowCount == 0 && report.skippedRowCount > 0 {
            throw IngestError.tooManyBadRows(path: path, count: report.skippedRowCount)
        }
        if sorting {
            let sortStarted = DispatchTime.now()
            let cardinalities = Dictionary(stored.indices.map { (stored[$0].name, dictionaries[$0].cardinality) }, uniquingKeysWith: { a, _ in a })
            let keyNames = definition.sortKey.resolved(in: definition, cardinalities: cardinalities)
            let keys = keyNames.compactMap { name -> PhysicalOrder.KeyColumn? in
                guard let slot = stored.firstIndex(where: { $0.name.lowercased() == name.lowercased() }) else { return nil }
                let ordersByValue = definition.dimension(named: name).map { $0.kind != .text } ?? false
                return PhysicalOrder.KeyColumn(slot: slot, ranks: ordersByValue ? dictionaries[slot].sortRanks() : nil,
                                               codeCount: dictionaries[slot].count)
            }
            chunks = try PhysicalOrder.apply(chunks, types: types, keys: keys, rowGroupSize: options.rowGroupSize, finalGroups: finalGroups)
            if definition.sortKey == .automatic && !keyNames.isEmpty { definition.sortKey = .columns(keyNames) }
            report.sortKey = keyNames
            report.sortSeconds = Double(DispatchTime.now().uptimeNanoseconds - sortStarted.uptimeNanoseconds) / 1e9
        }
        let columns = stored.enumerated().map { slot, column in
            StoredColumn(name: column.name, type: column.type, dictionary: dictionaries[slot], chunks: chunks[slot])
        }
        let store = try ColumnStore(columns: columns)
        report.seconds = Double(DispatchTime.now().uptimeNanoseconds - started.uptimeNanoseconds) / 1e9
        report.peakMemoryBytes = peakResidentBytes()
        return (Cube(definition: definition, store: store), report)
    }

    /// A cube name from a file name: `facts-2025.csv.zst` -> `facts_2025`.
    static func cubeName(forPath path: String) -> String {
        var base = URL(fileURLWithPath: path).lastPathComponent
        for suffix in [".zst", ".csv", ".tsv", ".txt"] where base.lowercased().hasSuffix(suffix) { base.removeLast(suffix.count) }
        let cleaned = String(base.map { $0.isLetter || $0.isNumber ? $0 : "_" })
        return cleaned.first?.isLetter == true ? cleaned : "facts_" + cleaned
    }
}

/// The process's peak resident memory (VmHWM), in bytes; 0 where the kernel does not say.
package func peakResidentBytes() -> Int {
    guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return 0 }
    for line in status.split(separator: "\n") where line.hasPrefix("VmHWM:") {
        let digits = line.filter(\.isNumber)
        return (Int(digits) ?? 0) * 1024
    }
    return 0
}
