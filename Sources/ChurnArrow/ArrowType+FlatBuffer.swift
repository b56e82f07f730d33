extension ArrowType {
    /// Decodes a Field's type union: the `type_type` byte and the parameter table after it.
    init(field name: String, typeID rawTypeID: UInt8, parameters: FlatBufferTable?, at position: Int) throws(ArrowError) {
        guard let typeID = ArrowTypeID(rawValue: rawTypeID) else {
            throw .column(name, .unsupported, "has Arrow type number \(rawTypeID), which the reader does not know", at: position)
        }
        func unsupported(_ typeName: String) -> ArrowError {
            .column(name, .unsupported, "has Arrow type \(typeName), which the reader does not support", at: position)
        }
        func parameterTable() throws(ArrowError) -> FlatBufferTable {
            guard let parameters else {
                throw .column(name, .malformed, "has Arrow type \(typeID.name) without its parameters", at: position)
            }
            return parameters
        }
        switch typeID {
        case .none:
            throw .column(name, .malformed, "has no Arrow type", at: position)
        case .null:
            self = .null
        case .bool:
            self = .boolean
        case .utf8:
            self = .utf8
        case .largeUtf8:
            self = .largeUtf8
        case .int:
            let table = try parameterTable()
            let bitWidth = Int(try table.scalar(0, default: Int32(0)))
            guard [8, 16, 32, 64].contains(bitWidth) else {
                throw .column(name, .malformed, "has an integer type of \(bitWidth) bits", at: table.position)
            }
            self = .integer(bitWidth: bitWidth, signed: try table.bool(1, default: false))
        case .floatingPoint:
            let table = try parameterTable()
            switch try table.scalar(0, default: Int16(0)) {
            case 0: self = .floatingPoint(bitWidth: 16)
            case 1: self = .floatingPoint(bitWidth: 32)
            case 2: self = .floatingPoint(bitWidth: 64)
            case let precision:
                throw .column(name, .malformed, "has a floating point type of unknown precision \(precision)", at: table.position)
            }
        case .decimal:
            let table = try parameterTable()
            let precision = Int(try table.scalar(0, default: Int32(0)))
            let scale = Int(try table.scalar(1, default: Int32(0)))
            let bitWidth = Int(try table.scalar(2, default: Int32(128)))
            guard bitWidth == 128 else { throw unsupported("decimal\(bitWidth)(\(precision),\(scale))") }
            guard (1...38).contains(precision) else {
                throw .column(name, .malformed, "has a 128-bit decimal type of precision \(precision)", at: table.position)
            }
            self = .decimal(precision: precision, scale: scale)
        case .date:
            // Schema.fbs defaults the unit to MILLISECOND when the field is left out.
            let table = try parameterTable()
            switch try table.scalar(0, default: Int16(1)) {
            case 0: self = .date32
            case 1: self = .date64
            case let unit:
                throw .column(name, .malformed, "has a date type of unknown unit \(unit)", at: table.position)
            }
        case .binary, .time, .timestamp, .interval, .list, .structType, .union, .fixedSizeBinary, .fixedSizeList,
             .map, .duration, .largeBinary, .largeList, .runEndEncoded, .binaryView, .utf8View, .listView, .largeListView:
            throw unsupported(typeID.name)
        }
    }

    /// How many body buffers a column of this type takes in a record batch.
    var bufferCount: Int {
        switch self {
        case .null: 0
        case .boolean, .integer, .floatingPoint, .decimal, .date32, .date64: 2
        case .utf8, .largeUtf8: 3
        }
    }
}
