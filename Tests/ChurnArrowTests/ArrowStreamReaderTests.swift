import Testing
@testable import ChurnArrow

/// Decoded values of the pyarrow fixtures; the expectations repeat the values in make_fixtures.py.
@Suite struct ArrowStreamReaderTests {
    @Test func integersOfEveryWidthWidenToInt64() throws {
        let stream = try Fixture.read("integers.arrows")
        #expect(stream.schema.fields.map(\.type.description) == ["int8", "int16", "int32", "int64", "uint8", "uint32", "uint64"])
        #expect(stream.schema.fields.allSatisfy { $0.nullable })
        #expect(stream.batches.count == 1)
        #expect(stream.batches[0].rowCount == 4)
        #expect(stream.column("i8")?.integers == [-128, 0, 127, nil])
        #expect(stream.column("i16")?.integers == [-32768, 1, 32767, -2])
        #expect(stream.column("i16")?.validity == nil)
        #expect(stream.column("i32")?.integers == [-2147483648, nil, 2147483647, 42])
        #expect(stream.column("i64")?.integers == [Int64.min, Int64.max, 0, -1])
        #expect(stream.column("u8")?.integers == [0, 255, nil, 7])
        #expect(stream.column("u32")?.integers == [0, 4294967295, 1, nil])
        #expect(stream.column("u64")?.integers == [0, Int64.max, 5, nil])
        #expect(stream.column("u8")?.validity == [true, true, false, true])
    }

    @Test func floatsOfEveryWidthWidenToDouble() throws {
        let stream = try Fixture.read("floats.arrows")
        #expect(stream.schema.fields.map(\.type) == [.floatingPoint(bitWidth: 16), .floatingPoint(bitWidth: 32), .floatingPoint(bitWidth: 64)])
        #expect(stream.column("f16")?.doubles == [1.5, -2.0, 65504.0, 0.0])
        #expect(stream.column("f32")?.doubles == [1.5, -0.25, nil, Double(Float.greatestFiniteMagnitude)])
        #expect(stream.column("f64")?.doubles == [0.1, -1e300, .infinity, nil])
    }

    @Test func decimalsKeepEveryDigitUnscaled() throws {
        let stream = try Fixture.read("decimals.arrows")
        #expect(stream.schema.fields == [ArrowField(name: "amount", type: .decimal(precision: 38, scale: 4), nullable: true)])
        #expect(stream.schema.fields[0].type.description == "decimal(38,4)")
        let decimals = try #require(stream.column("amount")?.decimals)
        #expect(decimals.scale == 4)
        let largest: Int128 = 99_999_999_999_999_999_999_999_999_999_999_999_999
        #expect(decimals.values == [0, 12345, -12345, largest, -largest, nil, -1])
    }

    @Test func stringsAreDecodedExactly() throws {
        let stream = try Fixture.read("strings.arrows")
        #expect(stream.schema.fields.map(\.type) == [.utf8, .largeUtf8])
        #expect(stream.schema.fields.map(\.type.description) == ["utf8", "large_utf8"])
        #expect(stream.column("s")?.strings == ["plain", "say \"hi\", ok", "", nil, "Zürich – 東京 🚀", "a,b,,c\n"])
        #expect(stream.column("ls")?.strings == ["large", nil, "", "ünïcødé", String(repeating: "x", count: 40), "\""])
    }

    @Test func booleansAndDates() throws {
        let stream = try Fixture.read("bools_dates.arrows")
        #expect(stream.schema.fields.map(\.type) == [.boolean, .date32, .date64])
        #expect(stream.column("flag")?.booleans == [true, false, nil, true, true, false, false, true, nil, true])
        #expect(stream.column("day")?.days == [0, 19782, -1, nil, -719162, 2932896, 10957, nil, -25508, 24855])
        #expect(stream.column("stamp_day")?.days == [0, 19782, -1, -3487, nil, 47482, 10957, 10956, nil, 1])
    }

    @Test func date64MillisecondsFloorToTheirDay() throws {
        let stream = try Fixture.read("date64_partial.arrows")
        #expect(stream.column("at")?.days == [-1, 0, -2, 0])
    }

    @Test func nullTypeColumnsAreAllNull() throws {
        let stream = try Fixture.read("nulls.arrows")
        #expect(stream.schema.fields.map(\.type) == [.null, .integer(bitWidth: 64, signed: true), .integer(bitWidth: 32, signed: true)])
        let nothing = try #require(stream.column("nothing"))
        guard case .nulls = nothing.values else {
            Issue.record("expected .nulls, got \(nothing.values)")
            return
        }
        #expect((0..<3).allSatisfy { nothing.isNull($0) })
        #expect(stream.column("n")?.integers == [1, 2, 3])
        #expect(stream.column("n")?.validity == nil)
        #expect(stream.column("all_null")?.integers == [nil, nil, nil])
    }

    @Test func zeroRowBatch() throws {
        let stream = try Fixture.read("empty_batch.arrows")
        #expect(stream.schema.fields.map(\.type.description) == ["int64", "utf8", "decimal(10,2)"])
        #expect(stream.batches.count == 1)
        #expect(stream.batches[0].rowCount == 0)
        #expect(stream.column("id")?.integers == [])
        #expect(stream.column("name")?.strings == [])
        #expect(stream.column("amount")?.decimals?.values == [])
    }

    @Test func schemaWithoutBatches() throws {
        let stream = try Fixture.read("no_batches.arrows")
        #expect(stream.schema.fields.map(\.name) == ["id", "name"])
        #expect(stream.batches.isEmpty)
    }

    @Test(arguments: ["multi_batch.arrows", "multi_batch_legacy.arrows"])
    func everyBatchIsReturned(fixture: String) throws {
        let stream = try Fixture.read(fixture)
        #expect(stream.batches.map(\.rowCount) == [2, 0, 3])
        #expect(stream.column("id", batch: 0)?.integers == [1, 2])
        #expect(stream.column("name", batch: 0)?.strings == ["a", "b"])
        #expect(stream.column("id", batch: 1)?.integers == [])
        #expect(stream.column("id", batch: 2)?.integers == [3, nil, 5])
        #expect(stream.column("name", batch: 2)?.strings == ["c", nil, "e"])
    }

    @Test func legacyFramingHasNoContinuationMarker() {
        let legacy = Fixture.bytes("multi_batch_legacy.arrows")
        let current = Fixture.bytes("multi_batch.arrows")
        #expect(legacy.prefix(4) != [0xFF, 0xFF, 0xFF, 0xFF])
        #expect(current.prefix(4) == [0xFF, 0xFF, 0xFF, 0xFF])
    }

    /// Rewrites a stream's frames without their continuation markers, as Arrow before 0.15 wrote them.
    @Test func markerlessFramingOfAnyStream() throws {
        let current = Fixture.bytes("strings.arrows")
        let boundaries = try Fixture.messageBoundaries(current)
        var markerless: [UInt8] = []
        for (start, end) in zip(boundaries, boundaries.dropFirst()) {
            #expect(current[start..<start + 4] == [0xFF, 0xFF, 0xFF, 0xFF])
            markerless += current[start + 4..<end]
        }
        markerless += [0, 0, 0, 0]
        let stream = try ArrowStreamReader.read(markerless)
        #expect(stream.column("s")?.strings == ["plain", "say \"hi\", ok", "", nil, "Zürich – 東京 🚀", "a,b,,c\n"])
        #expect(stream.column("ls")?.strings?.count == 6)
    }

    @Test func streamWithoutEndMarkerEndsWithTheBlob() throws {
        let bytes = Fixture.bytes("multi_batch.arrows")
        #expect(bytes.suffix(8) == [0xFF, 0xFF, 0xFF, 0xFF, 0, 0, 0, 0])
        let stream = try ArrowStreamReader.read(Array(bytes.dropLast(8)))
        #expect(stream.batches.map(\.rowCount) == [2, 0, 3])
    }

    @Test func bytesAfterTheEndMarkerAreIgnored() throws {
        let stream = try ArrowStreamReader.read(Fixture.bytes("hand_valid.arrows") + [1, 2, 3])
        #expect(stream.column("v")?.integers == [10, -20, 30])
    }

    @Test func handBuiltStream() throws {
        let stream = try Fixture.read("hand_valid.arrows")
        #expect(stream.schema.fields == [ArrowField(name: "v", type: .integer(bitWidth: 64, signed: true), nullable: true)])
        #expect(stream.column("v")?.integers == [10, -20, 30])
    }
}
