/// Decodes a Schema message header into the fields the record batches will carry.
enum ArrowSchemaDecoder {
    /// Schema.fbs `Schema` slots.
    private enum SchemaSlot {
        static let endianness = 0
        static let fields = 1
    }

    /// Schema.fbs `Field` slots; `type` is a union, so it takes two.
    private enum FieldSlot {
        static let name = 0
        static let nullable = 1
        static let typeType = 2
        static let type = 3
        static let dictionary = 4
    }

    static func decode(_ schema: FlatBufferTable) throws(ArrowError) -> ArrowSchema {
        guard try schema.scalar(SchemaSlot.endianness, default: Int16(0)) == 0 else {
            throw ArrowError(.unsupported, "the schema declares big-endian buffers, which the reader does not support", at: schema.position)
        }
        guard let fieldTables = try schema.vector(SchemaSlot.fields, elementSize: 4) else {
            return ArrowSchema(fields: [])
        }
        var fields: [ArrowField] = []
        fields.reserveCapacity(fieldTables.count)
        for index in 0..<fieldTables.count {
            fields.append(try decodeField(try fieldTables.table(at: index)))
        }
        return ArrowSchema(fields: fields)
    }

    private static func decodeField(_ field: FlatBufferTable) throws(ArrowError) -> ArrowField {
        let name = try field.string(FieldSlot.name) ?? ""
        do throws(ArrowError) {
            let nullable = try field.bool(FieldSlot.nullable, default: false)
            let typeID = try field.scalar(FieldSlot.typeType, default: UInt8(0))
            if try field.table(FieldSlot.dictionary) != nil {
                let valueType = ArrowTypeID(rawValue: typeID)?.name ?? "number \(typeID)"
                throw ArrowError.column(name, .unsupported, "is dictionary-encoded (values of Arrow type \(valueType)), which the reader does not support", at: field.position)
            }
            let parameters = try field.table(FieldSlot.type)
            let type = try ArrowType(field: name, typeID: typeID, parameters: parameters, at: field.position)
            return ArrowField(name: name, type: type, nullable: nullable)
        } catch {
            throw error.inColumn(name)
        }
    }
}
