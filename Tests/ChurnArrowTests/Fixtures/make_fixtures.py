"""Writes the Arrow IPC stream fixtures the ArrowStream tests decode.

Run with an interpreter that has pyarrow (e.g. /work/main/.venv/bin/python3):
    python3 make_fixtures.py
The values here are repeated as expectations in ArrowStreamReaderTests.swift; change both together.
"""

import datetime
import decimal
import os
import struct

import numpy as np
import pyarrow as pa

HERE = os.path.dirname(os.path.abspath(__file__))


def write_stream(name, schema, batches, **options):
    sink = pa.BufferOutputStream()
    with pa.ipc.new_stream(sink, schema, options=pa.ipc.IpcWriteOptions(**options)) as writer:
        for batch in batches:
            writer.write_batch(batch)
    with open(os.path.join(HERE, name), "wb") as out:
        out.write(sink.getvalue().to_pybytes())


def single_batch(name, columns, **options):
    batch = pa.record_batch(columns)
    write_stream(name, batch.schema, [batch], **options)


def integers():
    single_batch("integers.arrows", {
        "i8": pa.array([-128, 0, 127, None], pa.int8()),
        "i16": pa.array([-32768, 1, 32767, -2], pa.int16()),
        "i32": pa.array([-2147483648, None, 2147483647, 42], pa.int32()),
        "i64": pa.array([-9223372036854775808, 9223372036854775807, 0, -1], pa.int64()),
        "u8": pa.array([0, 255, None, 7], pa.uint8()),
        "u32": pa.array([0, 4294967295, 1, None], pa.uint32()),
        "u64": pa.array([0, 9223372036854775807, 5, None], pa.uint64()),
    })


def floats():
    single_batch("floats.arrows", {
        "f16": pa.array(np.array([1.5, -2.0, 65504.0, 0.0], dtype=np.float16), pa.float16()),
        "f32": pa.array([1.5, -0.25, None, 3.4028234663852886e38], pa.float32()),
        "f64": pa.array([0.1, -1e300, float("inf"), None], pa.float64()),
    })


def decimals():
    values = [
        decimal.Decimal("0"),
        decimal.Decimal("1.2345"),
        decimal.Decimal("-1.2345"),
        decimal.Decimal("9999999999999999999999999999999999.9999"),
        decimal.Decimal("-9999999999999999999999999999999999.9999"),
        None,
        decimal.Decimal("-0.0001"),
    ]
    single_batch("decimals.arrows", {"amount": pa.array(values, pa.decimal128(38, 4))})


def strings():
    single_batch("strings.arrows", {
        "s": pa.array(['plain', 'say "hi", ok', '', None, 'Zürich – 東京 🚀', 'a,b,,c\n'], pa.string()),
        "ls": pa.array(['large', None, '', 'ünïcødé', 'x' * 40, '"'], pa.large_string()),
    })


def bools_and_dates():
    single_batch("bools_dates.arrows", {
        "flag": pa.array([True, False, None, True, True, False, False, True, None, True], pa.bool_()),
        "day": pa.array([datetime.date(1970, 1, 1), datetime.date(2024, 2, 29), datetime.date(1969, 12, 31),
                         None, datetime.date(1, 1, 1), datetime.date(9999, 12, 31),
                         datetime.date(2000, 1, 1), None, datetime.date(1900, 3, 1), datetime.date(2038, 1, 19)],
                        pa.date32()),
        "stamp_day": pa.array([datetime.date(1970, 1, 1), datetime.date(2024, 2, 29), datetime.date(1969, 12, 31),
                               datetime.date(1960, 6, 15), None, datetime.date(2100, 1, 1),
                               datetime.date(2000, 1, 1), datetime.date(1999, 12, 31), None, datetime.date(1970, 1, 2)],
                              pa.date64()),
    })
    # Instants that are not whole days: the reader floors them, also before 1970.
    single_batch("date64_partial.arrows", {"at": pa.array([-1, 86399999, -86400001, 0], pa.date64())})


def nulls():
    single_batch("nulls.arrows", {
        "nothing": pa.nulls(3, pa.null()),
        "n": pa.array([1, 2, 3], pa.int64()),
        "all_null": pa.array([None, None, None], pa.int32()),
    })


def empty_batch():
    schema = pa.schema([("id", pa.int64()), ("name", pa.string()), ("amount", pa.decimal128(10, 2))])
    empty = pa.record_batch([pa.array([], field.type) for field in schema], schema=schema)
    write_stream("empty_batch.arrows", schema, [empty])


def no_batches():
    write_stream("no_batches.arrows", pa.schema([("id", pa.int64()), ("name", pa.string())]), [])


def multi_batch_batches():
    schema = pa.schema([("id", pa.int64()), ("name", pa.string())])
    return schema, [
        pa.record_batch([pa.array([1, 2], pa.int64()), pa.array(["a", "b"])], schema=schema),
        pa.record_batch([pa.array([], pa.int64()), pa.array([], pa.string())], schema=schema),
        pa.record_batch([pa.array([3, None, 5], pa.int64()), pa.array(["c", None, "e"])], schema=schema),
    ]


def multi_batch():
    schema, batches = multi_batch_batches()
    write_stream("multi_batch.arrows", schema, batches)
    # Pre-0.15 framing: no 0xFFFFFFFF continuation marker before each metadata length.
    write_stream("multi_batch_legacy.arrows", schema, batches, use_legacy_format=True)


def unsupported():
    single_batch("timestamp.arrows", {
        "id": pa.array([1, 2], pa.int32()),
        "x": pa.array([datetime.datetime(2024, 1, 1), None], pa.timestamp("us")),
    })
    single_batch("dictionary.arrows", {"city": pa.array(["Oslo", "Bergen", "Oslo"]).dictionary_encode()})
    single_batch("zstd.arrows", {"n": pa.array(list(range(100)), pa.int64())}, compression="zstd")
    single_batch("uint64_overflow.arrows", {"big": pa.array([1, 9223372036854775808], pa.uint64())})
    single_batch("decimal256.arrows", {"wide": pa.array([decimal.Decimal("1.5")], pa.decimal256(50, 2))})


# MARK: - Hand-built messages for what pyarrow will not write

class Table:
    """A FlatBuffers table to lay out: slots map to (kind, value)."""

    def __init__(self, **slots):
        self.slots = slots


def layout(root):
    """Lays out a FlatBuffer front to back: every uoffset points forward, as the format requires."""
    buf = bytearray(struct.pack("<I", 0))
    patches = [(0, root)]

    def align(n):
        while len(buf) % n:
            buf.append(0)

    def emit_table(table):
        slots = table.slots
        count = max((int(k[1:]) for k in slots), default=-1) + 1
        inline = bytearray()
        field_offsets = [0] * count
        pending = []
        for key in sorted(slots, key=lambda k: int(k[1:])):
            kind, value = slots[key]
            index = int(key[1:])
            size = {"u8": 1, "bool": 1, "i16": 2, "i32": 4, "i64": 8, "ref": 4}[kind if kind in ("u8", "bool", "i16", "i32", "i64") else "ref"]
            while len(inline) % size:  # the inline part starts 8-aligned
                inline.append(0)
            field_offsets[index] = 4 + len(inline)
            if kind == "u8" or kind == "bool":
                inline += struct.pack("<B", value)
            elif kind == "i16":
                inline += struct.pack("<h", value)
            elif kind == "i32":
                inline += struct.pack("<i", value)
            elif kind == "i64":
                inline += struct.pack("<q", value)
            else:
                pending.append((len(inline), kind, value))
                inline += b"\0\0\0\0"
        vtable = struct.pack("<HH", 4 + 2 * count, 4 + len(inline)) + b"".join(struct.pack("<H", o) for o in field_offsets)
        align(4)
        vtable_pos = len(buf)
        buf.extend(vtable)
        align(8)
        if (len(buf) + 4) % 8:
            buf.extend(b"\0\0\0\0")
        table_pos = len(buf)
        buf.extend(struct.pack("<i", table_pos - vtable_pos))
        buf.extend(inline)
        for offset, kind, value in pending:
            patches.append((table_pos + 4 + offset, (kind, value)))
        return table_pos

    def emit(item):
        if isinstance(item, Table):
            return emit_table(item)
        kind, value = item
        if kind == "table":
            return emit_table(value)
        align(8)
        if kind == "str":
            data = value.encode()
            pos = len(buf)
            buf.extend(struct.pack("<I", len(data)) + data + b"\0")
            return pos
        if kind == "structs":  # (count, raw bytes)
            count, raw = value
            if (len(buf) + 4) % 8:
                buf.extend(b"\0\0\0\0")
            pos = len(buf)
            buf.extend(struct.pack("<I", count) + raw)
            return pos
        if kind == "tables":
            pos = len(buf)
            buf.extend(struct.pack("<I", len(value)) + b"\0\0\0\0" * len(value))
            for i, element in enumerate(value):
                patches.append((pos + 4 + 4 * i, element))
            return pos
        raise ValueError(kind)

    while patches:
        at, item = patches.pop(0)
        target = emit(item)
        struct.pack_into("<I", buf, at, target - at)
    align(8)
    return bytes(buf)


def frame(metadata, body=b""):
    return struct.pack("<Ii", 0xFFFFFFFF, len(metadata)) + metadata + body


def int64_field(name):
    return Table(s0=("str", name), s1=("bool", 1), s2=("u8", 2),
                 s3=("table", Table(s0=("i32", 64), s1=("bool", 1))),
                 s5=("tables", []))


def utf8_field(name):
    return Table(s0=("str", name), s1=("bool", 1), s2=("u8", 5), s3=("table", Table()), s5=("tables", []))


def schema_message(fields, endianness=0):
    schema = Table(s0=("i16", endianness), s1=("tables", fields))
    return layout(Table(s0=("i16", 4), s1=("u8", 1), s2=("table", schema), s3=("i64", 0)))


def batch_message(length, nodes, buffers, body_length):
    node_bytes = b"".join(struct.pack("<qq", *n) for n in nodes)
    buffer_bytes = b"".join(struct.pack("<qq", *b) for b in buffers)
    batch = Table(s0=("i64", length), s1=("structs", (len(nodes), node_bytes)), s2=("structs", (len(buffers), buffer_bytes)))
    return layout(Table(s0=("i16", 4), s1=("u8", 3), s2=("table", batch), s3=("i64", body_length)))


def hand_built():
    end = struct.pack("<Ii", 0xFFFFFFFF, 0)
    body = struct.pack("<qqq", 10, -20, 30)
    # A valid stream built by hand, so the tests know the builder's output reads back.
    valid = frame(schema_message([int64_field("v")])) + frame(batch_message(3, [(3, 0)], [(0, 0), (0, 24)], 24), body) + end
    check = pa.ipc.open_stream(valid).read_all()
    assert check.column("v").to_pylist() == [10, -20, 30], check
    with open(os.path.join(HERE, "hand_valid.arrows"), "wb") as out:
        out.write(valid)
    with open(os.path.join(HERE, "big_endian.arrows"), "wb") as out:
        out.write(frame(schema_message([int64_field("v")], endianness=1)) + end)
    # A row count far beyond the body: the reader must refuse before allocating for it.
    huge = 1 << 60
    with open(os.path.join(HERE, "huge_length.arrows"), "wb") as out:
        out.write(frame(schema_message([int64_field("v")]))
                  + frame(batch_message(huge, [(huge, 0)], [(0, 0), (0, 24)], 24), body) + end)
    # The largest row count there is, on a string column: its offsets count is one more.
    most = (1 << 63) - 1
    with open(os.path.join(HERE, "huge_utf8.arrows"), "wb") as out:
        out.write(frame(schema_message([utf8_field("s")]))
                  + frame(batch_message(most, [(most, 0)], [(0, 0), (0, 8), (8, 0)], 8), b"\0" * 8) + end)


if __name__ == "__main__":
    integers()
    floats()
    decimals()
    strings()
    bools_and_dates()
    nulls()
    empty_batch()
    no_batches()
    multi_batch()
    unsupported()
    hand_built()
