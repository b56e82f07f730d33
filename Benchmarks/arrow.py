#!/usr/bin/env python3
"""How fast ChurnCube's Arrow reader decodes query results, beside pyarrow reading the same bytes.

    .venv/bin/python3 Benchmarks/arrow.py [--rows 10000000] [--repeat 5] [--data-dir Benchmarks/data]
                      [--binary .build/release/churncube] [--decoder .build/release/arrow-decode]

Builds Arrow IPC streams shaped like the answers ChurnCube reads from Spark, from the generated
facts through DuckDB, cast to the types Spark sends (strings, BIGINT counts, DECIMAL(38,2) sums,
DOUBLE moments), in record batches of Spark Connect's size (about 4 MB):
- `hotspot cells`: HOTSPOTS' account-cell answer, 8 dimensions and the account with their sums;
- `fact rows`: drill-through rows, every column of the facts;
- `unicode members`: the cells with non-ASCII members (the reader validates each string).
Then `arrow-decode` (ChurnCube's reader, built with `swift build -c release --product arrow-decode`)
decodes each stream into typed columns, and pyarrow reads it (`read_all`, which keeps the
buffers as they are, and `to_pylist` of every column, which makes Python values, as a client
that uses the values would). Printed: rows per second and MB per second, medians of `repeat`.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
DIMENSIONS = ("channel", "campaign", "segment", "industry", "region", "country", "plan", "usage_pattern")
MONEY = ("mrr_start", "mrr_end", "churned_mrr", "downsell_mrr", "upsell_mrr", "crosssell_mrr")
BATCH_BYTES = 4 << 20


def fail(message: str) -> None:
    print(f"arrow.py: {message}", file=sys.stderr)
    sys.exit(1)


def facts_csv(binary: Path, data_dir: Path, rows: int, seed: int) -> Path:
    csv = data_dir / f"facts-r{rows}-s{seed}-account.csv"
    if not csv.exists():
        data_dir.mkdir(parents=True, exist_ok=True)
        partial = csv.with_suffix(".csv.partial")
        print(f"generating {rows:,} rows into {csv}...", file=sys.stderr)
        subprocess.run([str(binary), "generate", "--rows", str(rows), "--seed", str(seed), "--order", "account",
                        "--out", str(partial)], check=True)
        partial.replace(csv)
    return csv


def write_stream(table, path: Path) -> int:
    import pyarrow as pa
    row_bytes = max(1, table.nbytes // max(1, table.num_rows))
    with pa.OSFile(str(path), "wb") as sink, pa.ipc.new_stream(sink, table.schema) as writer:
        writer.write_table(table, max_chunksize=max(1, BATCH_BYTES // row_bytes))
    return path.stat().st_size


def streams(csv: Path, out: Path, drill_rows: int) -> dict[str, Path]:
    import duckdb
    con = duckdb.connect()
    con.execute(f"CREATE VIEW facts AS SELECT * FROM read_csv('{csv}', header = true, all_varchar = true)")
    keys = ", ".join(DIMENSIONS + ("account_id",))
    cells = (f"SELECT {keys}, count(*)::BIGINT AS n, sum(churned::BIGINT)::BIGINT AS v0, "
             f"sum(mrr_start::DECIMAL(19,2))::DECIMAL(38,2) AS v1, sum(churned::DOUBLE) AS m0, "
             f"sum(churned::DOUBLE * churned::DOUBLE) AS m1, sum(churned::DOUBLE) AS m2 FROM facts GROUP BY {keys}")
    money = ", ".join(f"{column}::DECIMAL(19,2) AS {column}" for column in MONEY)
    rows = f"SELECT * REPLACE ({money}, churned::BIGINT AS churned, logins::BIGINT AS logins) FROM facts LIMIT {drill_rows}"
    accent = {"amer": "Amérique", "emea": "Europe–Afrique", "apac": "亚太"}
    unicode = (f"SELECT * REPLACE (CASE region " + " ".join(f"WHEN '{k}' THEN '{v}'" for k, v in accent.items())
               + " ELSE region || ' ✓' END AS region, campaign || ' «é»' AS campaign) FROM (" + cells + ")")
    paths = {}
    for name, sql in (("hotspot cells", cells), ("fact rows", rows), ("unicode members", unicode)):
        started = time.monotonic()
        table = con.sql(sql).to_arrow_table()
        path = out / (name.replace(" ", "-") + ".arrows")
        size = write_stream(table, path)
        print(f"  {name}: {table.num_rows:,} rows, {table.num_columns} columns, {size / 1e6:.1f} MB "
              f"({time.monotonic() - started:.1f} s)", file=sys.stderr)
        paths[name] = path
    return paths


def pyarrow_rates(path: Path, repeat: int) -> tuple[float, float, int]:
    import pyarrow as pa
    data = path.read_bytes()
    def read():
        return pa.ipc.open_stream(pa.BufferReader(data)).read_all()
    def values():
        table = read()
        for column in table.columns:
            column.to_pylist()
    timings = {}
    for name, body in (("read_all", read), ("to_pylist", values)):
        body()
        seconds = []
        for _ in range(repeat):
            started = time.perf_counter()
            body()
            seconds.append(time.perf_counter() - started)
        timings[name] = statistics.median(seconds)
    return timings["read_all"], timings["to_pylist"], read().num_rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=10_000_000)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--drill-rows", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--data-dir", type=Path, default=REPO / "Benchmarks" / "data")
    parser.add_argument("--binary", type=Path, default=REPO / ".build" / "release" / "churncube")
    parser.add_argument("--decoder", type=Path, default=REPO / ".build" / "release" / "arrow-decode")
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    for tool, build in ((args.binary, "swift build -c release"), (args.decoder, "swift build -c release --product arrow-decode")):
        if not tool.exists():
            fail(f"{tool} does not exist: {build}")
    csv = facts_csv(args.binary, args.data_dir, args.rows, args.seed)
    results = {}
    with tempfile.TemporaryDirectory(prefix="churncube-arrow-") as scratch:
        paths = streams(csv, Path(scratch), args.drill_rows)
        for name, path in paths.items():
            run = subprocess.run([str(args.decoder), "--repeat", str(args.repeat), str(path)], capture_output=True, text=True)
            if run.returncode != 0:
                fail(f"arrow-decode failed on {name}: {run.stderr.strip()}")
            ours = json.loads(run.stdout)
            read_all, to_pylist, rows = pyarrow_rates(path, args.repeat)
            if rows != ours["rows"]:
                fail(f"{name}: arrow-decode read {ours['rows']} rows, pyarrow {rows}")
            seconds = statistics.median(ours["seconds"])
            results[name] = {"rows": rows, "columns": ours["columns"], "bytes": ours["bytes"], "churncube_seconds": ours["seconds"],
                             "pyarrow_read_all_seconds": read_all, "pyarrow_to_pylist_seconds": to_pylist}
            print(f"{name:16} {rows:>10,} rows  ChurnCube {rows / seconds / 1e6:6.1f} M rows/s {ours['bytes'] / seconds / 1e6:7.0f} MB/s"
                  f"   pyarrow read_all {rows / read_all / 1e6:8.1f} M rows/s   to_pylist {rows / to_pylist / 1e6:5.2f} M rows/s")
    print()
    print("| stream | rows | columns | MB | ChurnCube decode | rows/s | pyarrow read_all (zero-copy) | pyarrow to_pylist | ChurnCube / to_pylist |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    for name, value in results.items():
        ours = statistics.median(value["churncube_seconds"])
        print(f"| {name} | {value['rows']:,} | {value['columns']} | {value['bytes'] / 1e6:.1f} | {ours:.3f} s | {value['rows'] / ours / 1e6:.1f} M "
              f"| {value['pyarrow_read_all_seconds']:.3f} s | {value['pyarrow_to_pylist_seconds']:.3f} s "
              f"| {ours / value['pyarrow_to_pylist_seconds']:.2f} |")
    if args.json:
        args.json.write_text(json.dumps({"rows": args.rows, "results": results}, indent=2) + "\n")


if __name__ == "__main__":
    main()
