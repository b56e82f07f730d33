#!/usr/bin/env python3
"""Side-by-side benchmarks of ChurnCube and DuckDB on the same generated facts.

    .venv/bin/python3 Benchmarks/run.py --rows 10000000 [--repeat 3] [--data-dir Benchmarks/data]
                              [--workloads ingest,...] [--threads 2] [--json out.json]
                              [--binary .build/release/churncube]

Generates the facts CSV once per (rows, seed, order), runs each selected workload on both
engines, prints a markdown table of medians and ratios (ChurnCube / DuckDB, < 1 means
ChurnCube is faster or smaller) and writes every raw measurement as JSON. See README.md.

Standard library and the `duckdb` package only.
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import itertools
import json
import math
import os
import platform
import re
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

BENCH_DIR = Path(__file__).resolve().parent
REPO_DIR = BENCH_DIR.parent
DEFAULT_BINARY = REPO_DIR / ".build" / "release" / "churncube"
BINARY = DEFAULT_BINARY  # --binary replaces it before any workload runs
CUBE_FILE = REPO_DIR / "Cubes" / "subscriptions.yaml"

CHURNCUBE = "churncube"
DUCKDB = "duckdb"
ENGINES = (CHURNCUBE, DUCKDB)

# The facts schema of DOMAIN.md: 13 dimensions and 18 measures.
FACT_COLUMNS = 31
# The dimensions the hot-spot search combines (account_id, period, cohort, tier and health are left out).
HOTSPOT_DIMENSIONS = ("channel", "campaign", "segment", "industry", "region", "country", "plan", "usage_pattern")


class BenchmarkError(Exception):
    """A benchmark could not run, or measured something other than what it claims."""


# MARK: - Child processes


@dataclass
class ChildRun:
    """One finished child process: exit status, wall time, peak resident memory and output."""

    command: list[str]
    returncode: int
    wall_seconds: float
    max_rss_bytes: int
    stdout: str
    stderr: str

    def check(self, what: str) -> "ChildRun":
        if self.returncode != 0:
            tail = self.stderr.strip()[-2000:] or self.stdout.strip()[-2000:]
            raise BenchmarkError(f"{what} failed with exit status {self.returncode}: {tail}\n  command: {' '.join(self.command)}")
        return self


GNU_TIME = Path("/usr/bin/time")


def run_child(command: list[str], cwd: Path | None = None, *, measure_memory: bool = True,
              discard_stdout: bool = False) -> ChildRun:
    """Runs a command to completion. Its wall time includes process start-up.

    Peak memory comes from GNU time, which forks the command from a small process: Linux carries
    the forking process's high-water mark into the child's ru_maxrss across exec, so a child of
    this (large, DuckDB-holding) Python process would report this process's peak instead.
    Start-up timings of a few milliseconds pass `measure_memory=False`, so that GNU time's own
    fork and exec are not in them; `discard_stdout` sends the output to /dev/null, as a user
    who only wants the answer's timing would."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err, \
            tempfile.NamedTemporaryFile("r", suffix=".rss") as rss:
        use_time = measure_memory and GNU_TIME.exists()
        wrapped = [str(GNU_TIME), "-f", "%M", "-o", rss.name, *map(str, command)] if use_time else list(map(str, command))
        start = time.perf_counter()
        process = subprocess.Popen(wrapped, stdout=subprocess.DEVNULL if discard_stdout else out, stderr=err, cwd=cwd)
        try:
            _, status, usage = os.wait4(process.pid, 0)
        except BaseException:
            process.kill()
            process.wait()
            raise
        wall = time.perf_counter() - start
        process.returncode = os.waitstatus_to_exitcode(status)
        max_rss = usage.ru_maxrss * 1024  # Linux reports kilobytes
        if use_time:
            lines = rss.read().strip().splitlines()
            max_rss = int(lines[-1]) * 1024 if lines and lines[-1].isdigit() else 0
        out.seek(0)
        err.seek(0)
        return ChildRun(
            command=[str(part) for part in command],
            returncode=process.returncode,
            wall_seconds=wall,
            max_rss_bytes=max_rss,
            stdout=out.read().decode("utf-8", "replace"),
            stderr=err.read().decode("utf-8", "replace"),
        )


def sql_string(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


# MARK: - Environment


def machine_info() -> dict[str, Any]:
    model = "unknown"
    memory = None
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                memory = int(line.split()[1]) * 1024
                break
    except OSError:
        pass
    return {
        "nproc": len(os.sched_getaffinity(0)),
        "cpu_model": model,
        "memory_bytes": memory,
        "load_average": os.getloadavg(),
        "kernel": platform.release(),
        "python": platform.python_version(),
    }


def git_revision(directory: Path = REPO_DIR) -> dict[str, Any]:
    def git(*args: str) -> str:
        return subprocess.run(["git", *args], cwd=directory, capture_output=True, text=True).stdout.strip()

    return {"commit": git("rev-parse", "HEAD"), "branch": git("rev-parse", "--abbrev-ref", "HEAD"),
            "dirty": bool(git("status", "--porcelain", "--untracked-files=no"))}


def ensure_binary(force_build: bool) -> dict[str, Any]:
    """Builds the repository's own binary when asked or missing; a binary given with --binary is
    used as it is and must exist."""
    if BINARY == DEFAULT_BINARY and (force_build or not BINARY.exists()):
        print(f"building {BINARY.relative_to(REPO_DIR)} (swift build -c release)...", file=sys.stderr)
        start = time.perf_counter()
        subprocess.run(["swift", "build", "-c", "release"], cwd=REPO_DIR, check=True)
        print(f"  built in {time.perf_counter() - start:.0f} s", file=sys.stderr)
    if not BINARY.exists():
        raise BenchmarkError(f"{BINARY} does not exist")
    return binary_info()


def binary_info() -> dict[str, Any]:
    stat = BINARY.stat()
    return {"path": str(BINARY), "bytes": stat.st_size,
            "modified": dt.datetime.fromtimestamp(stat.st_mtime, dt.timezone.utc).isoformat(timespec="seconds")}


def binary_repository() -> Path | None:
    """The checkout a binary under `<repo>/.build/` was built from, if it sits in one."""
    return next((parent.parent for parent in BINARY.parents if parent.name == ".build"), None)


# MARK: - Data


@dataclass
class Dataset:
    """The generated facts CSV and what is known about it."""

    csv: Path
    rows: int
    columns: int
    csv_bytes: int
    seed: int
    order: str
    generate_seconds: float | None

    def as_json(self) -> dict[str, Any]:
        return {**dataclasses.asdict(self), "csv": str(self.csv)}


def count_data_lines(path: Path) -> tuple[int, int]:
    """Counts the data rows (lines after the header) and the header's columns."""
    lines = 0
    with path.open("rb") as handle:
        header = handle.readline()
        while chunk := handle.read(1 << 24):
            lines += chunk.count(b"\n")
    return lines, header.count(b",") + 1


def prepare_dataset(data_dir: Path, rows: int, seed: int, order: str) -> Dataset:
    data_dir.mkdir(parents=True, exist_ok=True)
    stem = f"facts-r{rows}-s{seed}-{order}"
    csv = data_dir / f"{stem}.csv"
    meta_path = data_dir / f"{stem}.json"
    if csv.exists() and meta_path.exists():
        meta = json.loads(meta_path.read_text())
        if meta.get("csv_bytes") == csv.stat().st_size:
            return Dataset(csv=csv, rows=meta["rows"], columns=meta["columns"], csv_bytes=meta["csv_bytes"],
                           seed=seed, order=order, generate_seconds=meta.get("generate_seconds"))
    print(f"generating {rows:,} rows (seed {seed}, order {order}) into {csv}...", file=sys.stderr)
    partial = data_dir / f"{stem}.csv.partial"
    run = run_child([str(BINARY), "generate", "--rows", str(rows), "--seed", str(seed),
                     "--order", order, "--out", str(partial)]).check("churncube generate")
    partial.replace(csv)
    data_rows, columns = count_data_lines(csv)
    if data_rows != rows:
        raise BenchmarkError(f"churncube generate --rows {rows} wrote {data_rows:,} data rows")
    if columns != FACT_COLUMNS:
        raise BenchmarkError(f"the generated CSV has {columns} columns, expected {FACT_COLUMNS}")
    dataset = Dataset(csv=csv, rows=data_rows, columns=columns, csv_bytes=csv.stat().st_size,
                      seed=seed, order=order, generate_seconds=run.wall_seconds)
    meta_path.write_text(json.dumps(dataset.as_json(), indent=2) + "\n")
    print(f"  {dataset.csv_bytes / 1e6:,.0f} MB in {run.wall_seconds:.1f} s", file=sys.stderr)
    return dataset


def warm_page_cache(path: Path) -> None:
    """Reads a file once so that every timed run, whichever engine goes first, reads it from memory."""
    with path.open("rb") as handle:
        while handle.read(1 << 24):
            pass


# MARK: - Run context


@dataclass
class Context:
    """Everything a workload needs: options, the data, and shared state built on demand."""

    dataset: Dataset
    data_dir: Path
    repeat: int
    threads: int
    account: str
    notes: list[str] = field(default_factory=list)
    _duckdb_connection: Any = None
    _churncube_batch: dict[str, "BatchStatement"] | None = None
    churncube_queries: list["QueryWorkload"] = field(default_factory=list)  # run in one batch

    @property
    def duckdb_database(self) -> Path:
        return self.data_dir / f"{self.dataset.csv.stem}.duckdb"

    def duckdb(self):
        """The DuckDB database of the facts (table `f`), built once and kept in the data dir."""
        if self._duckdb_connection is None:
            import duckdb

            if not self.duckdb_database.exists():
                print(f"loading {self.duckdb_database.name} for the DuckDB queries...", file=sys.stderr)
                run_child(duckdb_ingest_command(self.dataset.csv, self.duckdb_database, self.threads)).check("DuckDB load")
            connection = duckdb.connect(str(self.duckdb_database), read_only=True)
            connection.execute(f"SET threads = {self.threads}")
            connection.execute("SET enable_progress_bar = false")
            rows = connection.execute("SELECT count(*) FROM f").fetchone()[0]
            if rows != self.dataset.rows:
                raise BenchmarkError(f"{self.duckdb_database} holds {rows:,} rows, the CSV {self.dataset.rows:,}; delete it")
            self._duckdb_connection = connection
        return self._duckdb_connection

    def churncube_batch(self) -> dict[str, "BatchStatement"]:
        """Runs every selected ChurnCube query statement in one warm session, once."""
        if self._churncube_batch is None:
            statements = {q.name: q.churncube_sql(self) for q in self.churncube_queries if q.churncube_sql}
            self._churncube_batch = run_churncube_batch(self, statements)
        return self._churncube_batch


# MARK: - Measurements


@dataclass(frozen=True)
class Limit:
    """A bound on ChurnCube's own figure, for rows where DuckDB has no counterpart to divide by."""

    value: float  # in the metric's unit
    text: str  # as the table shows it, e.g. "< 3 s"
    strict: bool = False  # the figure must stay under the value, not merely reach it

    def met(self, figure: float) -> bool:
        return figure < self.value if self.strict else figure <= self.value


@dataclass(frozen=True)
class Metric:
    """One row of the report: a figure per engine, their ratio, and the target if one applies.
    A key that no sample carries leaves that engine's cell empty (a one-engine row)."""

    label: str
    unit: str  # "s", "ms", "bytes" or "s/GB"
    churncube_key: str
    duckdb_key: str
    target: float | None = None  # the ratio ChurnCube / DuckDB must be at most this
    aim: float | None = None
    limit: Limit | None = None  # ChurnCube's figure alone must meet this


@dataclass
class WorkloadResult:
    name: str
    summary: str
    metrics: list[Metric]
    samples: dict[str, list[dict[str, Any]]]  # engine -> one dict per repetition
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Workload:
    """A registered benchmark. `run` measures the engines it is given and returns the samples."""

    name: str
    summary: str
    groups: tuple[str, ...]
    engines: tuple[str, ...]  # the engines with an implementation
    run: Callable[[Context, "Workload", tuple[str, ...]], WorkloadResult]


WORKLOADS: dict[str, Workload] = {}


def register(workload: Workload) -> Workload:
    WORKLOADS[workload.name] = workload
    return workload


def alternate(repeat: int, engines: tuple[str, ...], run_once: dict[str, Callable[[int], dict[str, Any]]]) -> dict[str, list[dict[str, Any]]]:
    """Runs each engine once per repetition, swapping who goes first, so drift on a shared
    machine (other jobs, page cache, thermal) falls on both engines alike."""
    samples: dict[str, list[dict[str, Any]]] = {engine: [] for engine in engines}
    for repetition in range(repeat):
        order = engines if repetition % 2 == 0 else tuple(reversed(engines))
        for engine in order:
            print(f"  {engine} run {repetition + 1}/{repeat}...", file=sys.stderr)
            samples[engine].append(run_once[engine](repetition))
    return samples


# MARK: - Workload: ingest


DUCKDB_INGEST_CHILD = r"""
import json, os, sys, time
import duckdb
csv, database, threads = sys.argv[1], sys.argv[2], int(sys.argv[3])
connection = duckdb.connect(database)
connection.execute(f"SET threads = {threads}")
connection.execute("SET enable_progress_bar = false")  # it draws on stdout, where the report goes
status = open("/proc/self/status").read()
rss_before = int(status.split("VmRSS:")[1].split()[0]) * 1024 if "VmRSS:" in status else 0
start = time.perf_counter()
connection.execute("CREATE TABLE f AS SELECT * FROM read_csv_auto(" + "'" + csv.replace("'", "''") + "')")
connection.execute("CHECKPOINT")
seconds = time.perf_counter() - start
rows = connection.execute("SELECT count(*) FROM f").fetchone()[0]
columns = len(connection.execute("DESCRIBE f").fetchall())
connection.close()
wal = database + ".wal"
print(json.dumps({"seconds": seconds, "rows": rows, "columns": columns, "rss_before_load_bytes": rss_before,
                  "database_bytes": os.path.getsize(database),
                  "wal_bytes": os.path.getsize(wal) if os.path.exists(wal) else 0}))
"""


def duckdb_ingest_command(csv: Path, database: Path, threads: int) -> list[str]:
    return [sys.executable, "-c", DUCKDB_INGEST_CHILD, str(csv), str(database), str(threads)]


def churncube_ingest_once(ctx: Context) -> dict[str, Any]:
    run = run_child([str(BINARY), "ingest", str(ctx.dataset.csv), "--cube", str(CUBE_FILE), "--format", "json"]).check("churncube ingest")
    try:
        report = json.loads(run.stdout)
    except json.JSONDecodeError as error:
        raise BenchmarkError(f"churncube ingest --format json printed no JSON ({error}): {run.stdout[:300]!r}")
    if report.get("rows") != ctx.dataset.rows:
        raise BenchmarkError(f"ChurnCube ingested {report.get('rows')} rows, the CSV has {ctx.dataset.rows:,}")
    if report.get("skippedRows") != 0:
        raise BenchmarkError(f"ChurnCube skipped {report.get('skippedRows')} rows")
    if report.get("schemaInferred"):
        raise BenchmarkError("ChurnCube inferred the schema instead of using the cube definition")
    columns = report.get("columns", [])
    if len(columns) != ctx.dataset.columns:
        raise BenchmarkError(f"ChurnCube reports {len(columns)} columns, the CSV has {ctx.dataset.columns}")
    column_sum = sum(column["compressedBytes"] for column in columns)
    if column_sum != report["compressedBytes"]:
        ctx.notes.append(f"ChurnCube compressedBytes {report['compressedBytes']:,} differs from the sum over columns {column_sum:,}")
    if report.get("inputBytes") != ctx.dataset.csv_bytes:
        ctx.notes.append(f"ChurnCube inputBytes {report.get('inputBytes')} differs from the CSV size {ctx.dataset.csv_bytes:,}")
    return {
        "seconds": run.wall_seconds,
        "internal_seconds": report["seconds"],
        "compressed_bytes": report["compressedBytes"],
        "raw_bytes": report["rawBytes"],
        "row_groups": report["rowGroups"],
        "reported_peak_memory_bytes": report["peakMemoryBytes"],
        "max_rss_bytes": run.max_rss_bytes,
        "rows": report["rows"],
        "columns": [{key: column.get(key) for key in ("name", "kind", "cardinality", "nulls", "rawBytes", "compressedBytes")}
                    for column in columns],
    }


def duckdb_ingest_once(ctx: Context, scratch: Path) -> dict[str, Any]:
    database = scratch / "ingest.duckdb"
    for stale in (database, Path(f"{database}.wal")):
        stale.unlink(missing_ok=True)
    run = run_child(duckdb_ingest_command(ctx.dataset.csv, database, ctx.threads)).check("DuckDB ingest")
    report = json.loads(run.stdout.strip().splitlines()[-1])
    if report["rows"] != ctx.dataset.rows:
        raise BenchmarkError(f"DuckDB's table has {report['rows']:,} rows, the CSV {ctx.dataset.rows:,}")
    if report["columns"] != ctx.dataset.columns:
        raise BenchmarkError(f"DuckDB's table has {report['columns']} columns, the CSV {ctx.dataset.columns}")
    return {
        "seconds": report["seconds"],
        "child_wall_seconds": run.wall_seconds,
        "database_bytes": report["database_bytes"] + report["wal_bytes"],
        "wal_bytes": report["wal_bytes"],
        "max_rss_bytes": run.max_rss_bytes,
        "rss_before_load_bytes": report["rss_before_load_bytes"],
        "rows": report["rows"],
    }


def duckdb_parquet_bytes(database: Path, scratch: Path, threads: int, expected_rows: int) -> int:
    import duckdb

    connection = duckdb.connect(str(database), read_only=True)
    try:
        connection.execute(f"SET threads = {threads}")
        connection.execute("SET enable_progress_bar = false")
        return parquet_bytes(connection, scratch, expected_rows)
    finally:
        connection.close()


def parquet_bytes(connection, scratch: Path, expected_rows: int) -> int:
    """The size of table `f` written by DuckDB as Parquet with zstd; the file is removed after."""
    parquet = scratch / "facts.parquet"
    parquet.unlink(missing_ok=True)
    connection.execute(f"COPY f TO {sql_string(str(parquet))} (FORMAT parquet, COMPRESSION zstd)")
    rows = connection.execute(f"SELECT count(*) FROM read_parquet({sql_string(str(parquet))})").fetchone()[0]
    if rows != expected_rows:
        raise BenchmarkError(f"the Parquet file holds {rows:,} rows, the CSV {expected_rows:,}")
    size = parquet.stat().st_size
    parquet.unlink()
    return size


def run_ingest(ctx: Context, workload: Workload, engines: tuple[str, ...]) -> WorkloadResult:
    scratch = ctx.data_dir / "scratch"
    scratch.mkdir(parents=True, exist_ok=True)
    warm_page_cache(ctx.dataset.csv)
    samples = alternate(ctx.repeat, engines, {
        CHURNCUBE: lambda _: churncube_ingest_once(ctx),
        DUCKDB: lambda _: duckdb_ingest_once(ctx, scratch),
    })
    extra: dict[str, Any] = {}
    if DUCKDB in engines:
        database = scratch / "ingest.duckdb"
        print("  DuckDB: Parquet (zstd) size...", file=sys.stderr)
        parquet = duckdb_parquet_bytes(database, scratch, ctx.threads, ctx.dataset.rows)
        for sample in samples[DUCKDB]:
            sample["parquet_bytes"] = parquet
        extra["duckdb_rss_before_load_bytes"] = median([s["rss_before_load_bytes"] for s in samples[DUCKDB]])
        if not ctx.duckdb_database.exists():  # reuse the last load for the query workloads
            database.replace(ctx.duckdb_database)
        else:
            database.unlink()
    if CHURNCUBE in engines:
        sizes = {sample["compressed_bytes"] for sample in samples[CHURNCUBE]}
        if len(sizes) > 1:
            ctx.notes.append(f"ChurnCube compressedBytes varies between runs of the same data: {sorted(sizes)}")
        for sample in samples[CHURNCUBE]:
            reported, measured = sample["reported_peak_memory_bytes"], sample["max_rss_bytes"]
            if measured and abs(reported - measured) > 0.1 * measured:
                ctx.notes.append(f"ChurnCube peakMemoryBytes {reported / 1e6:,.0f} MB differs from the measured max RSS {measured / 1e6:,.0f} MB")
                break
    return WorkloadResult(workload.name, workload.summary, [
        Metric("ingest time", "s", "seconds", "seconds", target=0.6),
        Metric("compressed size vs DuckDB file", "bytes", "compressed_bytes", "database_bytes", target=0.4),
        Metric("compressed size vs Parquet zstd", "bytes", "compressed_bytes", "parquet_bytes", target=0.8),
        Metric("peak ingest memory (max RSS)", "bytes", "max_rss_bytes", "max_rss_bytes"),
        Metric("ChurnCube internal load time", "s", "internal_seconds", "seconds"),
    ], samples, extra)


register(Workload(
    name="ingest",
    summary="Load the CSV: ChurnCube `ingest --format json` (wall time of the process) against DuckDB "
            "CREATE TABLE AS read_csv_auto + CHECKPOINT into a fresh database file.",
    groups=("ingest",),
    engines=ENGINES,
    run=run_ingest,
))


# MARK: - Query helpers


@dataclass
class BatchStatement:
    seconds: list[float]  # the timed runs, warm-up excluded
    warmup_seconds: float
    rows: list[int]


# Batch mode's timer: parse + execution time and the result's row count, on standard error.
RUN_TIME_LINE = re.compile(r"^Run Time: ([0-9]+(?:\.[0-9]*)?(?:[eE][-+]?[0-9]+)?) s, (\d+) rows?\s*$", re.MULTILINE)


def run_churncube_batch(ctx: Context, statements: dict[str, str]) -> dict[str, BatchStatement]:
    """Times ChurnCube statements on a warm store: one process loads the CSV, then each statement
    runs once untimed and `repeat` times timed. Batch mode prints `Run Time: <seconds> s, <N> rows`
    on stderr after each statement."""
    if not statements:
        return {}
    runs = ctx.repeat + 1
    script_lines = [sql.strip().rstrip(";") + ";" for sql in statements.values() for _ in range(runs)]
    with tempfile.NamedTemporaryFile("w", suffix=".cq", delete=False) as script:
        script.write("\n".join(script_lines) + "\n")
    try:
        print(f"  ChurnCube: {len(statements)} statements x {runs} in one session...", file=sys.stderr)
        run = run_child([str(BINARY), str(ctx.dataset.csv), "--cube", str(CUBE_FILE), "-f", script.name, "--timer"],
                        discard_stdout=True).check(
            "churncube batch mode (churncube <csv> --cube <yaml> -f <script> --timer), which the ChurnCube query workloads need,")
    finally:
        os.unlink(script.name)
    matches = RUN_TIME_LINE.findall(run.stderr)
    times = [float(seconds) for seconds, _ in matches]
    counts = [int(rows) for _, rows in matches]
    expected = len(script_lines)
    if len(times) != expected:
        raise BenchmarkError(f"churncube batch printed {len(times)} 'Run Time:' lines for {expected} statements")
    result = {}
    for index, name in enumerate(statements):
        chunk = slice(index * runs, (index + 1) * runs)
        result[name] = BatchStatement(seconds=times[chunk][1:], warmup_seconds=times[chunk][0], rows=counts[chunk])
    return result


def time_duckdb_query(connection, sql: str, repeat: int) -> tuple[list[float], float, int]:
    """Warm timing: one untimed run, then `repeat` timed runs that fetch the whole result."""
    start = time.perf_counter()
    rows = len(connection.execute(sql).fetchall())
    warmup = time.perf_counter() - start
    seconds = []
    for _ in range(repeat):
        start = time.perf_counter()
        result = connection.execute(sql).fetchall()
        seconds.append(time.perf_counter() - start)
        if len(result) != rows:
            raise BenchmarkError(f"DuckDB returned {len(result)} rows, then {rows}")
    return seconds, warmup, rows


def distinct_rows(connection, columns: tuple[str, ...], where: str | None) -> int:
    if not columns:
        return 1  # the grand total of a grouping set ()
    condition = f" WHERE {where}" if where else ""
    return connection.execute(f"SELECT count(*) FROM (SELECT DISTINCT {', '.join(columns)} FROM f{condition})").fetchone()[0]


def rollup_sets(dimensions: tuple[str, ...]) -> list[tuple[str, ...]]:
    return [dimensions[:length] for length in range(len(dimensions), -1, -1)]


def cube_sets(dimensions: tuple[str, ...]) -> list[tuple[str, ...]]:
    return [subset for size in range(len(dimensions), -1, -1) for subset in itertools.combinations(dimensions, size)]


def grouping_rows(sets: list[tuple[str, ...]], where: str | None = None) -> Callable[[Context], int]:
    """The expected row count of a GROUP BY over grouping sets, counted set by set."""
    return lambda ctx: sum(distinct_rows(ctx.duckdb(), columns, where) for columns in sets)


MEASURES_SQL = """count(*) AS customers,
       sum(churned) / NULLIF(count(*), 0) AS logo_churn_rate,
       sum(churned_mrr) / NULLIF(sum(mrr_start), 0) AS revenue_churn_rate,
       (sum(mrr_start) - sum(churned_mrr) - sum(downsell_mrr) + sum(upsell_mrr) + sum(crosssell_mrr))
           / NULLIF(sum(mrr_start), 0) AS nrr"""
MEASURES_CQ = "customers, logo_churn_rate, revenue_churn_rate, nrr"

HOTSPOT_SETS = [subset for size in (1, 2, 3) for subset in itertools.combinations(HOTSPOT_DIMENSIONS, size)]
assert len(HOTSPOT_SETS) == 92


def hotspots_sql(min_support: int = 500, limit: int = 20) -> str:
    dims = ", ".join(HOTSPOT_DIMENSIONS)
    sets = ", ".join("(" + ", ".join(subset) + ")" for subset in HOTSPOT_SETS)
    return f"""
WITH cells AS (
    SELECT GROUPING({dims}) AS grouping_id, {dims}, count(*) AS support, sum(churned) AS churned
    FROM f
    GROUP BY GROUPING SETS ({sets})
), global AS (
    SELECT sum(churned) / count(*) AS rate FROM f
)
SELECT cells.*, churned / support AS rate, churned / support / global.rate - 1 AS lift,
       (churned / support - global.rate) * support AS impact
FROM cells, global
WHERE support >= {min_support}
ORDER BY impact DESC
LIMIT {limit}"""


def hotspot_rows(ctx: Context) -> int:
    """DuckDB reports the top 20 cells with support >= 500 (far more qualify even at 200,000 rows);
    ChurnCube keeps only the significant ones among them, up to 20."""
    return 20


def check_hotspots(rows: list[tuple]) -> None:
    impacts = [row[-1] for row in rows]
    supports = [row[1 + len(HOTSPOT_DIMENSIONS)] for row in rows]
    if impacts != sorted(impacts, reverse=True):
        raise BenchmarkError("hot-spot rows are not ordered by impact")
    if min(supports, default=500) < 500:
        raise BenchmarkError("a hot-spot row has support below 500")


# MARK: - Workloads: queries


QUERY_TARGET = 0.7  # every query: ChurnCube's time at most 0.7 of DuckDB's


@dataclass(frozen=True)
class QueryWorkload:
    """A query on both engines: DuckDB SQL over table `f`, ChurnCube's form over cube `subscriptions`."""

    name: str
    summary: str
    duckdb_sql: Callable[[Context], str] | None  # None: ChurnCube only, no DuckDB form to compare with
    churncube_sql: Callable[[Context], str] | None  # None: no ChurnCube form yet
    expected_rows: Callable[[Context], int] | None  # None: ChurnCube only, its count checked by `row_limit`
    check: Callable[[list[tuple]], None] | None = None
    target: float | None = QUERY_TARGET  # ChurnCube's time over DuckDB's must be at most this
    limit: Limit | None = None  # a bound on ChurnCube's own time in ms (a row of its own beside the ratio)
    # ChurnCube's statement keeps only significant cells, up to this LIMIT, so its row count cannot
    # be known beforehand; DuckDB's SQL, which tests nothing, is still checked against `expected_rows`.
    row_limit: int | None = None
    # With row_limit: no row is a right answer too (a change explained by nothing significant).
    may_find_nothing: bool = False

    @property
    def engines(self) -> tuple[str, ...]:
        return tuple(engine for engine, form in ((CHURNCUBE, self.churncube_sql), (DUCKDB, self.duckdb_sql)) if form)


def run_query(query: QueryWorkload) -> Callable[[Context, Workload, tuple[str, ...]], WorkloadResult]:
    def run(ctx: Context, workload: Workload, engines: tuple[str, ...]) -> WorkloadResult:
        samples: dict[str, list[dict[str, Any]]] = {engine: [] for engine in engines}
        expected = query.expected_rows(ctx) if query.expected_rows else None
        extra: dict[str, Any] = {"expected_rows": expected}
        label_rows = f"{expected} rows"
        if CHURNCUBE in engines:
            batch = ctx.churncube_batch()[query.name]
            if query.row_limit is not None:
                significant = check_significant_rows(query, batch.rows, ctx)
                extra["churncube_rows"] = significant
                if expected is None:
                    label_rows = f"{significant} rows"
                elif significant != expected:
                    label_rows += f", ChurnCube {significant} significant"
            elif any(rows != expected for rows in batch.rows):
                raise BenchmarkError(f"{query.name}: ChurnCube returned {batch.rows} rows, expected {expected}")
            samples[CHURNCUBE] = [{"ms": seconds * 1000, "rows": batch.rows[0]} for seconds in batch.seconds]
            extra["churncube_warmup_ms"] = batch.warmup_seconds * 1000
        if DUCKDB in engines and query.duckdb_sql:
            connection = ctx.duckdb()
            sql = query.duckdb_sql(ctx)
            seconds, warmup, rows = time_duckdb_query(connection, sql, ctx.repeat)
            if rows != expected:
                raise BenchmarkError(f"{query.name}: DuckDB returned {rows} rows, expected {expected}")
            if query.check:
                query.check(connection.execute(sql).fetchall())
            samples[DUCKDB] = [{"ms": value * 1000, "rows": rows} for value in seconds]
            extra["duckdb_warmup_ms"] = warmup * 1000
        extra["duckdb_sql"] = query.duckdb_sql(ctx).strip() if query.duckdb_sql else None
        extra["churncube_sql"] = query.churncube_sql(ctx) if query.churncube_sql else None
        if query.duckdb_sql:
            metrics = [Metric(f"query time, {label_rows}", "ms", "ms", "ms", target=query.target)]
            if query.limit is not None:
                metrics.append(Metric("query time (ChurnCube only)", "ms", "ms", "-", limit=query.limit))
        else:
            metrics = [Metric(f"query time, {label_rows} (ChurnCube only)", "ms", "ms", "-", limit=query.limit)]
        return WorkloadResult(workload.name, workload.summary, metrics, samples, extra)

    return run


def check_significant_rows(query: QueryWorkload, counts: list[int], ctx: Context) -> int:
    """A search that keeps only significant cells returns between 1 and its LIMIT rows, the same
    number every run; fewer than the LIMIT is worth a note (small data finds fewer)."""
    limit = query.row_limit or 0
    least = 0 if query.may_find_nothing else 1
    if not counts or len(set(counts)) != 1 or not least <= counts[0] <= limit:
        raise BenchmarkError(f"{query.name}: ChurnCube returned {counts} rows, expected the same count "
                             f"from {least} to {limit} in every run")
    if counts[0] < limit:
        ctx.notes.append(f"{query.name}: {counts[0]} significant cells, fewer than LIMIT {limit}")
    return counts[0]


def account_rows(ctx: Context) -> int:
    rows = ctx.duckdb().execute(f"SELECT count(*) FROM f WHERE account_id = {sql_string(ctx.account)}").fetchone()[0]
    if rows == 0:
        raise BenchmarkError(f"account {ctx.account} is not in the data; choose another with --account")
    return rows


ENTERPRISE_2025 = "segment = 'enterprise' AND period >= '2025-01'"
# The early-warning rule: a renewal falls due and no executive has been in touch for two months.
AT_RISK = "days_since_exec_contact > 60 AND renewal_due = 1"


def check_top_accounts(rows: list[tuple]) -> None:
    keys = [(-lost, account) for account, lost in rows]
    if keys != sorted(keys):
        raise BenchmarkError("q8: the top accounts are not ordered by lost MRR, then account_id")


def hotspots_all(name: str, measure: str, description: str) -> QueryWorkload:
    """HOTSPOTS of one measure over every low-cardinality dimension (BY *), ChurnCube alone, held
    to the hot-spot issue's 2 s."""
    return QueryWorkload(
        name, f"{description}, support >= 500, top 20 (ChurnCube only)",
        None,
        lambda ctx: f"HOTSPOTS {measure} FROM subscriptions BY * DEPTH 3 MIN SUPPORT 500 LIMIT 20;",
        None,
        target=None,
        limit=Limit(2000.0, "<= 2 s"),
        row_limit=20)


QUERIES = [
    QueryWorkload(
        "q1", "ROLLUP(region, channel) with customers, logo churn, revenue churn, NRR",
        lambda ctx: f"SELECT region, channel, {MEASURES_SQL}\nFROM f GROUP BY ROLLUP (region, channel)",
        lambda ctx: f"SELECT region, channel, {MEASURES_CQ} FROM subscriptions GROUP BY ROLLUP(region, channel);",
        grouping_rows(rollup_sets(("region", "channel")))),
    QueryWorkload(
        "q2", "the same measures for enterprise from 2025-01, ROLLUP(region, country)",
        lambda ctx: f"SELECT region, country, {MEASURES_SQL}\nFROM f WHERE {ENTERPRISE_2025} GROUP BY ROLLUP (region, country)",
        lambda ctx: f"SELECT region, country, {MEASURES_CQ} FROM subscriptions WHERE {ENTERPRISE_2025} "
                    "GROUP BY ROLLUP(region, country);",
        grouping_rows(rollup_sets(("region", "country")), ENTERPRISE_2025)),
    QueryWorkload(
        "q3", "CUBE(channel, segment, region, usage_pattern), same measures",
        lambda ctx: f"SELECT channel, segment, region, usage_pattern, {MEASURES_SQL}\n"
                    "FROM f GROUP BY CUBE (channel, segment, region, usage_pattern)",
        lambda ctx: f"SELECT channel, segment, region, usage_pattern, {MEASURES_CQ} FROM subscriptions "
                    "GROUP BY CUBE(channel, segment, region, usage_pattern);",
        grouping_rows(cube_sets(("channel", "segment", "region", "usage_pattern")))),
    QueryWorkload(
        "q4", "COUNT(DISTINCT account_id) by channel",
        lambda ctx: "SELECT channel, count(DISTINCT account_id) AS accounts FROM f GROUP BY channel",
        lambda ctx: "SELECT channel, accounts FROM subscriptions GROUP BY channel;",
        grouping_rows([("channel",)])),
    QueryWorkload(
        "q5", "all rows of one account (--account)",
        lambda ctx: f"SELECT * FROM f WHERE account_id = {sql_string(ctx.account)}",
        lambda ctx: f"SELECT * FROM subscriptions WHERE account_id = {sql_string(ctx.account)};",
        account_rows),
    QueryWorkload(
        "q6", "the measures by period",
        lambda ctx: f"SELECT period, {MEASURES_SQL}\nFROM f GROUP BY period ORDER BY period",
        lambda ctx: f"SELECT period, {MEASURES_CQ} FROM subscriptions GROUP BY period ORDER BY period;",
        grouping_rows([("period",)])),
    QueryWorkload(
        "q7", "early warning: accounts and MRR up for renewal with no executive contact for 60 days, by segment",
        lambda ctx: f"SELECT segment, count(*) AS accounts_at_risk, sum(mrr_start) AS mrr_at_risk\n"
                    f"FROM f WHERE {AT_RISK} GROUP BY segment",
        lambda ctx: "SELECT segment, COUNT(*) AS accounts_at_risk, SUM(mrr_start) AS mrr_at_risk FROM subscriptions "
                    f"WHERE {AT_RISK} GROUP BY segment;",
        grouping_rows([("segment",)], AT_RISK)),
    QueryWorkload(
        "q8", "top 10 accounts by lost MRR (churned + downsell)",
        lambda ctx: "SELECT account_id, sum(churned_mrr + downsell_mrr) AS lost\n"
                    "FROM f GROUP BY account_id ORDER BY lost DESC, account_id LIMIT 10",
        lambda ctx: "SELECT account_id, SUM(churned_mrr + downsell_mrr) AS lost FROM subscriptions "
                    "GROUP BY account_id ORDER BY lost DESC, account_id LIMIT 10;",
        lambda ctx: min(10, distinct_rows(ctx.duckdb(), ("account_id",), None)),
        check_top_accounts),
    QueryWorkload(
        "q9", "the q1 measures by country and industry",
        lambda ctx: f"SELECT country, industry, {MEASURES_SQL}\nFROM f GROUP BY country, industry",
        lambda ctx: f"SELECT country, industry, {MEASURES_CQ} FROM subscriptions GROUP BY country, industry;",
        grouping_rows([("country", "industry")])),
    QueryWorkload(
        "q10", "rows, churned months and MRR per account, one row per account",
        lambda ctx: "SELECT account_id, count(*) AS months, sum(churned) AS churned, sum(mrr_start) AS mrr_start\n"
                    "FROM f GROUP BY account_id",
        lambda ctx: "SELECT account_id, COUNT(*), SUM(churned), SUM(mrr_start) FROM subscriptions GROUP BY account_id;",
        grouping_rows([("account_id",)])),
    QueryWorkload(
        "hotspots", "logo churn over the 92 one-, two- and three-dimension cells of 8 dimensions, "
                    "lift vs global, support >= 500, top 20 by impact",
        lambda ctx: hotspots_sql(),
        lambda ctx: "HOTSPOTS logo_churn_rate FROM subscriptions BY " + ", ".join(HOTSPOT_DIMENSIONS)
                    + " DEPTH 3 MIN SUPPORT 500 VERSUS EXPECTED HOT ORDER BY IMPACT LIMIT 20;",
        hotspot_rows,
        check_hotspots,
        limit=Limit(500.0, "<= 0.5 s"),
        row_limit=20),
    # The search a user starts with: every dimension of low cardinality, not a chosen eight. DuckDB
    # has no counterpart (its SQL would be a GROUPING SETS list written for one cube), so the
    # target is ChurnCube's own time.
    hotspots_all("hotspots-all", "logo_churn_rate", "logo churn over all one-, two- and three-dimension cells of every "
                 "low-cardinality dimension (BY *)"),
    # The same search for the other measure kinds: a ratio of sums of money, and NRR, whose
    # numerator of four flows is fitted flow by flow.
    hotspots_all("hotspots-all-revenue", "revenue_churn_rate", "revenue churn (a ratio of MRR sums) over the cells of BY *"),
    hotspots_all("hotspots-all-nrr", "nrr", "NRR (four MRR flows over MRR) over the cells of BY *"),
]

# MARK: - Workloads: time (COHORT, COMPARE, WHY, TREND)

TIME_TARGET = 0.5  # COHORT and COMPARE: at most half of DuckDB's equivalent query
# Two months a change is explained between; the benchmark data has no planted shift, so WHY may
# rightly report nothing.
WHY_BEFORE, WHY_AFTER = "2025-05", "2025-06"


def month_index(column: str) -> str:
    return f"(CAST(substr({column}, 1, 4) AS INTEGER) * 12 + CAST(substr({column}, 6, 2) AS INTEGER))"


def cohort_sql(months: int) -> str:
    """Logo retention by start month, as COHORT defines it: an account's start is its first month;
    accounts of the data's first month are left out; month k counts the accounts with a row and
    churned = 0; months past the data's end for the cohort are not rows."""
    return f"""WITH b AS (SELECT min(period) AS lo, max(period) AS hi FROM f),
s AS (SELECT account_id, period, churned, min(period) OVER (PARTITION BY account_id) AS start FROM f),
m AS (SELECT s.start, {month_index('s.period')} - {month_index('s.start')} AS k, s.account_id, s.churned
      FROM s, b WHERE s.start <> b.lo),
n AS (SELECT start, count(DISTINCT account_id) AS accounts FROM m WHERE k = 0 GROUP BY start),
a AS (SELECT start, k, count(DISTINCT account_id) FILTER (WHERE churned = 0) AS active FROM m WHERE k <= {months} GROUP BY start, k)
SELECT n.start, t.k, n.accounts, coalesce(a.active, 0) / n.accounts AS logo_retention
FROM n CROSS JOIN range(0, {months + 1}) t(k) CROSS JOIN b LEFT JOIN a ON a.start = n.start AND a.k = t.k
WHERE t.k <= {month_index('b.hi')} - {month_index('n.start')}
ORDER BY n.start, t.k"""


def compare_sql() -> str:
    """The measures of each region in two months side by side, with the change."""
    def side(month: str, name: str) -> str:
        where = f"FILTER (WHERE period = '{month}')"
        return (f"count(*) {where} AS customers_{name}, sum(churned) {where} / count(*) {where} AS logo_churn_rate_{name}, "
                f"sum(churned_mrr) {where} / sum(mrr_start) {where} AS revenue_churn_rate_{name}")
    return (f"SELECT region, {side(WHY_BEFORE, 'before')}, {side(WHY_AFTER, 'after')}\n"
            f"FROM f WHERE period IN ('{WHY_BEFORE}', '{WHY_AFTER}') GROUP BY region ORDER BY region")


def rows_of(sql: Callable[[Context], str]) -> Callable[[Context], int]:
    return lambda ctx: len(ctx.duckdb().execute(sql(ctx)).fetchall())


TIME_QUERIES = [
    QueryWorkload(
        "cohort", "logo retention by start month, months 0 to 12 since start (window query on DuckDB)",
        lambda ctx: cohort_sql(12),
        lambda ctx: "COHORT logo_retention FROM subscriptions MONTHS 12;",
        rows_of(lambda ctx: cohort_sql(12)),
        target=TIME_TARGET),
    QueryWorkload(
        "compare", f"customers, logo and revenue churn by region, {WHY_BEFORE} beside {WHY_AFTER}, with change and tests",
        lambda ctx: compare_sql(),
        lambda ctx: "SELECT region, customers, logo_churn_rate, revenue_churn_rate FROM subscriptions GROUP BY region "
                    f"COMPARE period = '{WHY_BEFORE}' TO period = '{WHY_AFTER}';",
        grouping_rows([("region",)]),
        target=TIME_TARGET),
    QueryWorkload(
        "why", f"why logo churn changed from {WHY_BEFORE} to {WHY_AFTER}, over 8 dimensions at depth 2 (ChurnCube only)",
        None,
        lambda ctx: f"WHY logo_churn_rate FROM subscriptions CHANGED FROM '{WHY_BEFORE}' TO '{WHY_AFTER}' BY "
                    + ", ".join(HOTSPOT_DIMENSIONS) + " DEPTH 2 LIMIT 10;",
        None,
        target=None,
        limit=Limit(500.0, "<= 0.5 s"),
        row_limit=10,
        may_find_nothing=True),
    QueryWorkload(
        "trend", "logo churn by month and segment with slopes (ChurnCube only)",
        None,
        lambda ctx: "TREND logo_churn_rate FROM subscriptions BY segment;",
        None,
        target=None,
        limit=Limit(300.0, "<= 0.3 s"),
        row_limit=4),
]

def pareto_sql() -> str:
    """MRR per account in its latest month, ranked: the shares of the top 1/5/10/20%, the accounts
    holding 80%, everyone, and the Gini coefficient, as PARETO mrr reports them."""
    return """WITH v AS (SELECT account_id AS m, sum(mrr_end) FILTER (WHERE period = latest) AS value
                FROM (SELECT account_id, period, mrr_end, max(period) OVER (PARTITION BY account_id) AS latest FROM f) GROUP BY account_id),
r AS (SELECT m, value, row_number() OVER (ORDER BY value DESC, m) AS k,
             sum(value) OVER (ORDER BY value DESC, m ROWS UNBOUNDED PRECEDING) AS cum FROM v WHERE value IS NOT NULL),
n AS (SELECT count(*) AS n, sum(value) AS total FROM r),
g AS (SELECT sum((2 * (n.n + 1 - k) - n.n - 1) * value) / (n.n * n.total) AS gini FROM r, n GROUP BY n.n, n.total),
held AS (SELECT min(k) AS k FROM r, n WHERE cum >= 0.8 * total),
cuts AS (SELECT 1 AS o, (n * 1 + 99) // 100 AS k FROM n UNION ALL SELECT 2, (n * 5 + 99) // 100 FROM n
         UNION ALL SELECT 3, (n * 10 + 99) // 100 FROM n UNION ALL SELECT 4, (n * 20 + 99) // 100 FROM n
         UNION ALL SELECT 5, k FROM held UNION ALL SELECT 6, n FROM n)
SELECT cuts.k, r.cum / n.total, r.m, r.value, g.gini FROM cuts JOIN r ON r.k = cuts.k, n, g ORDER BY cuts.o"""


RENEWAL_RULE = "renewal_due = 1 AND days_since_exec_contact > 15"


ADOPTION_RULE = "logins < 0.75 * avg_previous(logins, 3) AND days_since_user_contact > 30"
# The same on DuckDB: the mean of the account's logins in the 3 months before, by a window over months.
ADOPTION_RULE_SQL = "logins < 0.75 * avg_logins_3 AND days_since_user_contact > 30"


def with_avg_logins(months_from: str | None = None) -> str:
    """A CTE `h`: the rows of f (from month index `months_from` on, if given) with avg_logins_3,
    the mean of the account's logins in the 3 months before the row's."""
    m = month_index
    where = f" WHERE {m('period')} >= {months_from}" if months_from else ""
    return f"""h AS (SELECT *, avg(logins) OVER (PARTITION BY account_id ORDER BY {m('period')}
                                       RANGE BETWEEN 3 PRECEDING AND 1 PRECEDING) AS avg_logins_3
      FROM f{where})"""


def backtest_sql(condition: str, horizon: int, history: bool = False) -> str:
    """BACKTEST's definitions: active account-months with the horizon inside the data, the outcome
    a churn of the account in the next `horizon` months, per month and in total. With `history`,
    the rows come with avg_logins_3."""
    m = month_index
    source = "h AS f" if history else "f"
    prelude = with_avg_logins() + ",\n" if history else ""
    return f"""WITH {prelude}c AS (SELECT DISTINCT account_id, {m('period')} AS cm FROM f WHERE churned = 1),
b AS (SELECT max({m('period')}) AS hi FROM f),
e AS (SELECT f.account_id, f.period, {m('f.period')} AS m, f.mrr_start, coalesce({condition}, false) AS is_flagged FROM {source}, b
      WHERE f.churned = 0 AND {m('f.period')} + {horizon} <= b.hi),
o AS (SELECT e.*, EXISTS (SELECT 1 FROM c WHERE c.account_id = e.account_id AND c.cm > e.m AND c.cm <= e.m + {horizon}) AS outcome FROM e)
SELECT period, count(*) AS evaluated, count(*) FILTER (WHERE is_flagged) AS flagged,
       (count(*) FILTER (WHERE is_flagged AND outcome)) / nullif(count(*) FILTER (WHERE is_flagged), 0) AS precision,
       (count(*) FILTER (WHERE outcome)) / count(*) AS base_rate,
       (count(*) FILTER (WHERE is_flagged AND outcome)) / nullif(count(*) FILTER (WHERE outcome), 0) AS recall,
       sum(mrr_start) FILTER (WHERE is_flagged AND outcome) AS mrr_flagged_churned
FROM o GROUP BY ROLLUP(period) ORDER BY period NULLS LAST"""


def health_sql(horizon: int) -> str:
    """HEALTH's bands: evaluated account-months and churns within the horizon per health band."""
    m = month_index
    return f"""WITH c AS (SELECT DISTINCT account_id, {m('period')} AS cm FROM f WHERE churned = 1),
b AS (SELECT max({m('period')}) AS hi FROM f),
e AS (SELECT f.account_id, f.health, {m('f.period')} AS m FROM f, b WHERE f.churned = 0 AND {m('f.period')} + {horizon} <= b.hi),
o AS (SELECT e.health, EXISTS (SELECT 1 FROM c WHERE c.account_id = e.account_id AND c.cm > e.m AND c.cm <= e.m + {horizon}) AS outcome FROM e)
SELECT health, count(*) AS evaluated, count(*) FILTER (WHERE outcome) AS churned, count(*) FILTER (WHERE outcome) / count(*) AS rate
FROM o GROUP BY ROLLUP(health) ORDER BY health NULLS LAST"""


def health_numeric_sql(score: str, horizon: int) -> str:
    """HEALTH <numeric score>: quintile cut points c_k = v_ceil(k N / 5) over the evaluated rows with a
    score, each band's rows and churns within the horizon, and the AUC of the exact scores."""
    m = month_index
    return f"""WITH c AS (SELECT DISTINCT account_id, {m('period')} AS cm FROM f WHERE churned = 1),
b AS (SELECT max({m('period')}) AS hi FROM f),
e AS (SELECT f.account_id, f.{score} AS s, {m('f.period')} AS m FROM f, b WHERE f.churned = 0 AND {m('f.period')} + {horizon} <= b.hi),
o AS (SELECT s, EXISTS (SELECT 1 FROM c WHERE c.account_id = e.account_id AND c.cm > e.m AND c.cm <= e.m + {horizon}) AS outcome
      FROM e WHERE s IS NOT NULL),
r AS (SELECT s, outcome, row_number() OVER (ORDER BY s) AS k, count(*) OVER () AS n FROM o),
cut AS (SELECT max(s) FILTER (WHERE k = ceil(n / 5.0)) AS c1, max(s) FILTER (WHERE k = ceil(2 * n / 5.0)) AS c2,
               max(s) FILTER (WHERE k = ceil(3 * n / 5.0)) AS c3, max(s) FILTER (WHERE k = ceil(4 * n / 5.0)) AS c4 FROM r),
v AS (SELECT s, count(*) FILTER (WHERE outcome) AS pos, count(*) FILTER (WHERE NOT outcome) AS neg FROM o GROUP BY s),
w AS (SELECT pos, neg, coalesce(sum(neg) OVER (ORDER BY s ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0) AS below FROM v),
auc AS (SELECT sum(pos * (below + 0.5 * neg)) / (sum(pos) * sum(neg)) AS auc FROM w)
SELECT CASE WHEN s <= c1 THEN 1 WHEN s <= c2 THEN 2 WHEN s <= c3 THEN 3 WHEN s <= c4 THEN 4 ELSE 5 END AS band,
       count(*) AS evaluated, count(*) FILTER (WHERE outcome) AS churned, any_value(auc.auc) AS auc
FROM o, cut, auc GROUP BY ROLLUP(band) ORDER BY band NULLS LAST"""


def alerts_history_sql() -> str:
    """ALERTS of the adoption rule: the rows of the last 4 months only get their window (a fair peer
    does not compute it for all 36), then the latest month's flagged accounts by MRR at risk."""
    m = month_index
    return f"""WITH l AS (SELECT max({m('period')}) AS hi FROM f), {with_avg_logins("(SELECT hi - 3 FROM l)")}
SELECT account_id, logins, avg_logins_3, days_since_user_contact, mrr_start AS mrr_at_risk, channel, campaign, segment, industry,
       region, country, plan, tier, usage_pattern, health
FROM h WHERE period = (SELECT max(period) FROM f) AND churned = 0 AND {ADOPTION_RULE_SQL}
ORDER BY mrr_start DESC, account_id"""


def alerts_sql() -> str:
    """ALERTS' list: the active accounts of the latest month the renewal rule flags, by MRR at risk."""
    return f"""SELECT account_id, renewal_due, days_since_exec_contact, mrr_start AS mrr_at_risk, channel, campaign, segment, industry,
       region, country, plan, tier, usage_pattern, health
FROM f WHERE period = (SELECT max(period) FROM f) AND churned = 0 AND {RENEWAL_RULE}
ORDER BY mrr_start DESC, account_id"""


ACCOUNT_QUERIES = [
    QueryWorkload(
        "alerts", f"the accounts '{RENEWAL_RULE}' flags in the latest month, by MRR at risk",
        lambda ctx: alerts_sql(),
        lambda ctx: f"ALERTS WHEN {RENEWAL_RULE} FROM subscriptions;",
        rows_of(lambda ctx: alerts_sql()),
        target=TIME_TARGET,
        limit=Limit(300.0, "<= 0.3 s")),
    QueryWorkload(
        "backtest", f"does '{RENEWAL_RULE}' predict churn within 3 months: per month and in total",
        lambda ctx: backtest_sql(RENEWAL_RULE, 3),
        lambda ctx: f"BACKTEST WHEN {RENEWAL_RULE} HORIZON 3 FROM subscriptions;",
        rows_of(lambda ctx: backtest_sql(RENEWAL_RULE, 3)),
        target=TIME_TARGET,
        limit=Limit(1000.0, "<= 1 s")),
    QueryWorkload(
        "alerts_history", "the accounts whose logins fell below 75% of their last 3 months' mean, no contact for 30 days",
        lambda ctx: alerts_history_sql(),
        lambda ctx: f"ALERTS WHEN {ADOPTION_RULE} FROM subscriptions;",
        rows_of(lambda ctx: alerts_history_sql()),
        target=TIME_TARGET,
        limit=Limit(300.0, "<= 0.3 s")),
    QueryWorkload(
        "backtest_history", "does the logins-drop rule (avg_previous over 3 months) predict churn within 3 months",
        lambda ctx: backtest_sql(ADOPTION_RULE_SQL, 3, history=True),
        lambda ctx: f"BACKTEST WHEN {ADOPTION_RULE} HORIZON 3 FROM subscriptions;",
        rows_of(lambda ctx: backtest_sql(ADOPTION_RULE_SQL, 3, history=True)),
        target=TIME_TARGET,
        limit=Limit(1000.0, "<= 1 s")),
    QueryWorkload(
        "health_numeric", "logins as a score: quintile bands against churn within 3 months, AUC of the exact scores",
        lambda ctx: health_numeric_sql("logins", 3),
        lambda ctx: "HEALTH logins HORIZON 3 FROM subscriptions;",
        rows_of(lambda ctx: health_numeric_sql("logins", 3)),
        target=TIME_TARGET,
        limit=Limit(1000.0, "<= 1 s")),
    QueryWorkload(
        "health", "the health bands against churn within 3 months: rate, lift, order, AUC",
        lambda ctx: health_sql(3),
        lambda ctx: "HEALTH HORIZON 3 FROM subscriptions;",
        rows_of(lambda ctx: health_sql(3)),
        target=TIME_TARGET,
        limit=Limit(1000.0, "<= 1 s")),
    QueryWorkload(
        "pareto", "MRR concentration over accounts: top 1/5/10/20%, accounts holding 80%, Gini",
        lambda ctx: pareto_sql(),
        lambda ctx: "PARETO mrr FROM subscriptions;",
        lambda ctx: 6,
        target=TIME_TARGET,
        limit=Limit(300.0, "<= 0.3 s")),
]

for _query in ACCOUNT_QUERIES:
    register(Workload(name=_query.name, summary=_query.summary, groups=("accounts", "duckdb-queries"),
                      engines=_query.engines, run=run_query(_query)))

for _query in TIME_QUERIES:
    _groups = ("time", "duckdb-queries") if _query.duckdb_sql else ("time",)
    register(Workload(name=_query.name, summary=_query.summary, groups=_groups,
                      engines=_query.engines, run=run_query(_query)))

for _query in QUERIES:
    # duckdb-queries runs DuckDB alone, so a query without DuckDB SQL is not in it.
    _groups = ("queries", "duckdb-queries") if _query.duckdb_sql else ("queries",)
    register(Workload(name=_query.name, summary=_query.summary, groups=_groups,
                      engines=_query.engines, run=run_query(_query)))

# MARK: - Workload: snapshot


# A fresh interpreter that opens DuckDB's database read-only and runs one query, the rows to
# standard output (sent to /dev/null) and their count to standard error. Run with no arguments
# it stops after `import duckdb`: the same command, so its time is exactly the start-up share.
DUCKDB_OPEN_QUERY_CHILD = r"""
import sys
import duckdb
if len(sys.argv) > 1:
    database, threads, sql = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    connection = duckdb.connect(database, read_only=True)
    connection.execute(f"SET threads = {threads}")
    connection.execute("SET enable_progress_bar = false")
    rows = connection.execute(sql).fetchall()
    for row in rows:
        print(row)
    print(len(rows), file=sys.stderr)
"""


def churncube_save_once(ctx: Context, snapshot: Path) -> dict[str, Any]:
    """Ingests the CSV and saves it as a snapshot; the save time is the one `ingest` reports,
    so the CSV load does not count."""
    snapshot.unlink(missing_ok=True)
    run = run_child([str(BINARY), "ingest", str(ctx.dataset.csv), "--cube", str(CUBE_FILE),
                     "--out", str(snapshot), "--format", "json"]).check("churncube ingest --out")
    try:
        report = json.loads(run.stdout)
    except json.JSONDecodeError as error:
        raise BenchmarkError(f"churncube ingest --out --format json printed no JSON ({error}): {run.stdout[:300]!r}")
    if report.get("rows") != ctx.dataset.rows or report.get("skippedRows") != 0:
        raise BenchmarkError(f"ChurnCube ingested {report.get('rows')} rows ({report.get('skippedRows')} skipped), "
                             f"the CSV has {ctx.dataset.rows:,}")
    saved = report.get("snapshot")
    if not isinstance(saved, dict) or not {"path", "bytes", "seconds"} <= saved.keys():
        raise BenchmarkError(f"churncube ingest --out reports no snapshot with path, bytes and seconds: {saved!r}")
    if Path(saved["path"]).resolve() != snapshot.resolve():
        raise BenchmarkError(f"ChurnCube saved to {saved['path']}, not {snapshot}")
    on_disk = snapshot.stat().st_size
    if saved["bytes"] != on_disk:
        raise BenchmarkError(f"ChurnCube reports a snapshot of {saved['bytes']:,} bytes, the file has {on_disk:,}")
    if not saved["seconds"] > 0:
        raise BenchmarkError(f"ChurnCube reports a save time of {saved['seconds']!r} s")
    return {
        "snapshot_bytes": on_disk,
        "compressed_bytes": report["compressedBytes"],
        "save_ms": saved["seconds"] * 1000,
        # Per GB of the compressed store, so that the target holds at any data size.
        "save_seconds_per_gb": saved["seconds"] / (report["compressedBytes"] / 1e9),
        "ingest_wall_seconds": run.wall_seconds,
    }


def churncube_open_query_once(snapshot: Path, statement: str, expected_rows: int) -> float:
    """Seconds of a fresh `churncube <snapshot> -c <statement>`, output to /dev/null. `--timer`
    prints the row count on stderr, which is how the run is checked without reading the output."""
    run = run_child([str(BINARY), str(snapshot), "--timer", "-c", statement],
                    measure_memory=False, discard_stdout=True).check("churncube <snapshot> -c")
    counts = [int(rows) for _, rows in RUN_TIME_LINE.findall(run.stderr)]
    if counts != [expected_rows]:
        raise BenchmarkError(f"churncube {snapshot.name} -c q1 returned {counts} rows, expected [{expected_rows}]")
    return run.wall_seconds


def duckdb_open_query_once(database: Path, threads: int, sql: str, expected_rows: int) -> float:
    run = run_child([sys.executable, "-c", DUCKDB_OPEN_QUERY_CHILD, str(database), str(threads), sql],
                    measure_memory=False, discard_stdout=True).check("DuckDB open + q1")
    lines = run.stderr.strip().splitlines()
    if not lines or lines[-1] != str(expected_rows):
        raise BenchmarkError(f"DuckDB open + q1 returned {lines[-1:] or 'nothing'} rows, expected {expected_rows}")
    return run.wall_seconds


def python_duckdb_startup_once() -> float:
    run = run_child([sys.executable, "-c", DUCKDB_OPEN_QUERY_CHILD],
                    measure_memory=False, discard_stdout=True).check("python3 -c 'import duckdb'")
    return run.wall_seconds


def churncube_info_once(snapshot: Path, expected_rows: int) -> float:
    run = run_child([str(BINARY), "info", str(snapshot), "--format", "json"], measure_memory=False).check("churncube info")
    rows = json.loads(run.stdout).get("rows")
    if rows != expected_rows:
        raise BenchmarkError(f"churncube info reports {rows} rows, the CSV has {expected_rows:,}")
    return run.wall_seconds


def run_snapshot(ctx: Context, workload: Workload, engines: tuple[str, ...]) -> WorkloadResult:
    scratch = ctx.data_dir / "scratch"
    scratch.mkdir(parents=True, exist_ok=True)
    snapshot = scratch / f"{ctx.dataset.csv.stem}.ccube"
    q1 = next(query for query in QUERIES if query.name == "q1")
    statement, sql, expected = q1.churncube_sql(ctx), q1.duckdb_sql(ctx), q1.expected_rows(ctx)
    database = ctx.duckdb_database  # built by ctx.duckdb() through expected_rows
    samples: dict[str, list[dict[str, Any]]] = {engine: [] for engine in ENGINES}

    # Save: ChurnCube alone, `repeat` times. DuckDB's counterpart is the file it already has.
    warm_page_cache(ctx.dataset.csv)
    for repetition in range(ctx.repeat):
        print(f"  churncube save {repetition + 1}/{ctx.repeat}...", file=sys.stderr)
        samples[CHURNCUBE].append(churncube_save_once(ctx, snapshot))
    sizes = {sample["snapshot_bytes"] for sample in samples[CHURNCUBE]}
    if len(sizes) > 1:
        ctx.notes.append(f"snapshot: the snapshot size varies between saves of the same data: {sorted(sizes)}")
    last = samples[CHURNCUBE][-1]
    if abs(last["snapshot_bytes"] - last["compressed_bytes"]) > 0.1 * last["compressed_bytes"]:
        ctx.notes.append(f"snapshot: the snapshot file ({last['snapshot_bytes']:,} bytes) differs by more than 10% "
                         f"from compressedBytes ({last['compressed_bytes']:,})")

    wal = Path(f"{database}.wal")
    database_bytes = database.stat().st_size + (wal.stat().st_size if wal.exists() else 0)
    print("  DuckDB: Parquet (zstd) size...", file=sys.stderr)
    parquet = parquet_bytes(ctx.duckdb(), scratch, ctx.dataset.rows)

    # Open + first query: both files in the page cache, and one untimed run each, so that
    # neither pays for the disk and both pay for mapping, parsing and the query.
    warm_page_cache(snapshot)
    warm_page_cache(database)
    churncube_open_query_once(snapshot, statement, expected)
    duckdb_open_query_once(database, ctx.threads, sql, expected)
    python_duckdb_startup_once()
    churncube_info_once(snapshot, ctx.dataset.rows)
    opened = alternate(ctx.repeat, ENGINES, {
        CHURNCUBE: lambda _: {"open_query_ms": 1000 * churncube_open_query_once(snapshot, statement, expected),
                              "info_ms": 1000 * churncube_info_once(snapshot, ctx.dataset.rows)},
        DUCKDB: lambda _: {"open_query_ms": 1000 * duckdb_open_query_once(database, ctx.threads, sql, expected),
                           "startup_ms": 1000 * python_duckdb_startup_once()},
    })
    for sample, times in zip(samples[CHURNCUBE], opened[CHURNCUBE]):
        sample.update(times)
    samples[DUCKDB] = [{**times, "database_bytes": database_bytes, "parquet_bytes": parquet} for times in opened[DUCKDB]]
    snapshot.unlink()

    extra = {"q1_churncube": statement, "q1_duckdb_sql": sql.strip(), "q1_rows": expected,
             "duckdb_database": str(database), "snapshot": str(snapshot)}
    return WorkloadResult(workload.name, workload.summary, [
        Metric("snapshot size vs DuckDB file", "bytes", "snapshot_bytes", "database_bytes", target=0.7),
        Metric("snapshot size vs Parquet zstd", "bytes", "snapshot_bytes", "parquet_bytes", target=1.0),
        Metric("snapshot save time (ChurnCube only)", "ms", "save_ms", "-"),
        Metric("save time per GB of compressed store (ChurnCube only)", "s/GB", "save_seconds_per_gb", "-",
               limit=Limit(2.0, "<= 2 s/GB")),
        Metric("open + q1, fresh process", "ms", "open_query_ms", "open_query_ms", target=1.0),
        Metric("of which Python + import duckdb (DuckDB only)", "ms", "-", "startup_ms"),
        Metric("churncube info, fresh process (ChurnCube only)", "ms", "info_ms", "-"),
    ], samples, extra)


register(Workload(
    name="snapshot",
    summary="Save the store as a snapshot and reopen it: snapshot size and save time; a fresh "
            "`churncube <snapshot> -c q1` against a fresh Python child opening DuckDB's file read-only for q1.",
    groups=("snapshot",),
    engines=ENGINES,
    run=run_snapshot,
))


# MARK: - Report


def median(values: list[float]) -> float | None:
    return statistics.median(values) if values else None


def format_value(value: float | None, unit: str) -> str:
    if value is None:
        return "—"
    if unit == "bytes":
        return f"{value / 1e6:,.1f} MB"
    if unit == "ms":
        return f"{value:,.1f} ms"
    if unit == "s/GB":
        return f"{value:,.2f} s/GB"
    return f"{value:,.2f} s"


def summarize(result: WorkloadResult, order: str) -> list[dict[str, Any]]:
    rows = []
    for metric in result.metrics:
        churncube = median([s[metric.churncube_key] for s in result.samples.get(CHURNCUBE, []) if metric.churncube_key in s])
        duckdb = median([s[metric.duckdb_key] for s in result.samples.get(DUCKDB, []) if metric.duckdb_key in s])
        ratio = churncube / duckdb if churncube is not None and duckdb else None
        status = None
        if metric.target is not None and ratio is not None:
            status = "met" if ratio <= metric.target else "missed"
        if metric.limit is not None and churncube is not None:
            status = "met" if metric.limit.met(churncube) else "missed"
        rows.append({"order": order, "workload": result.name, "metric": metric.label, "unit": metric.unit,
                     "churncube_median": churncube, "duckdb_median": duckdb, "ratio": ratio,
                     "target": metric.target, "aim": metric.aim,
                     "limit": metric.limit.text if metric.limit else None, "status": status})
    return rows


# The queries whose time ratios make the geometric mean, and its target.
GEOMEAN_QUERIES = ("q1", "q2", "q3", "q4", "q5", "q6", "q7", "q8", "q9", "q10", "hotspots")
GEOMEAN_TARGET = 0.35


def geometric_mean_row(summary: list[dict[str, Any]], order: str) -> dict[str, Any] | None:
    """A row with the geometric mean of one order's query time ratios, when all of them were
    measured on both engines."""
    ratios = {row["workload"]: row["ratio"] for row in summary
              if row["order"] == order and row["workload"] in GEOMEAN_QUERIES and row["ratio"]}
    if len(ratios) != len(GEOMEAN_QUERIES):
        return None
    mean = math.exp(sum(math.log(ratio) for ratio in ratios.values()) / len(ratios))
    return {"order": order, "workload": "q1..q10, hotspots",
            "metric": f"geometric mean of the {len(ratios)} query time ratios", "unit": "ratio",
            "churncube_median": None, "duckdb_median": None, "ratio": mean, "target": GEOMEAN_TARGET, "aim": None,
            "limit": None, "status": "met" if mean <= GEOMEAN_TARGET else "missed"}


def format_ratio(value: float) -> str:
    """1.0, 0.7, 0.35: as many decimals as the value needs, at least one and at most two."""
    text = f"{value:.2f}".rstrip("0")
    return text + "0" if text.endswith(".") else text


def markdown_table(summary: list[dict[str, Any]]) -> str:
    lines = ["| order | workload | measure | ChurnCube (median) | DuckDB (median) | ratio CC/DuckDB | target |",
             "|---|---|---|---:|---:|---:|---|"]
    for row in summary:
        ratio = f"{row['ratio']:.2f}" if row["ratio"] is not None else "—"
        target = "—"
        if row["target"] is not None:
            target = f"<= {format_ratio(row['target'])}"
            if row["aim"] is not None:
                target += f" (aim {format_ratio(row['aim'])})"
            target += f": {row['status']}" if row["status"] else ": not measured"
        elif row["limit"] is not None:
            target = f"target {row['limit']}: {row['status'] or 'not measured'}"
        lines.append(f"| {row['order']} | {row['workload']} | {row['metric']} | {format_value(row['churncube_median'], row['unit'])} | "
                     f"{format_value(row['duckdb_median'], row['unit'])} | {ratio} | {target} |")
    return "\n".join(lines)


# MARK: - Main


def parse_arguments(argv: list[str]) -> argparse.Namespace:
    groups = sorted({group for workload in WORKLOADS.values() for group in workload.groups})
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter,
                                     epilog="workloads: " + ", ".join(WORKLOADS) + "\ngroups: " + ", ".join(groups)
                                            + "\n(duckdb-queries runs the query workloads on DuckDB alone)")
    parser.add_argument("--rows", type=int, required=True, help="rows of generated facts")
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--order", type=parse_orders, default=ORDERS,
                        help="row orders of the generated CSV: account, period or account,period (default: both, "
                             "each with its own CSV and DuckDB database)")
    parser.add_argument("--repeat", type=int, default=3, help="timed runs per engine and workload (median reported)")
    parser.add_argument("--data-dir", type=Path, default=BENCH_DIR / "data")
    parser.add_argument("--workloads", default="ingest", help="comma-separated workload or group names (default: ingest)")
    parser.add_argument("--threads", type=int, default=2, help="DuckDB threads")
    parser.add_argument("--account", default="A0001000", help="the account of q5")
    parser.add_argument("--json", type=Path, help="where to write the raw measurements "
                                                  "(default: Benchmarks/results/<timestamp>.json)")
    parser.add_argument("--binary", type=Path, default=DEFAULT_BINARY,
                        help="the churncube executable (default: .build/release/churncube of this repository)")
    parser.add_argument("--build", action="store_true", help="run swift build -c release even if the binary exists")
    arguments = parser.parse_args(argv)
    if arguments.rows <= 0 or arguments.repeat <= 0 or arguments.threads <= 0:
        parser.error("--rows, --repeat and --threads must be positive")
    arguments.binary = arguments.binary.absolute()
    if arguments.build and arguments.binary != DEFAULT_BINARY:
        parser.error("--build builds this repository's .build/release/churncube, not the one given with --binary")
    return arguments


ORDERS = ("account", "period")  # `churncube generate --order`: rows by account then month, or by month


def parse_orders(spec: str) -> tuple[str, ...]:
    orders = tuple(dict.fromkeys(token.strip() for token in spec.split(",") if token.strip()))
    unknown = [order for order in orders if order not in ORDERS]
    if unknown or not orders:
        raise argparse.ArgumentTypeError(f"expected account, period or account,period, not {spec!r}")
    return orders


def select_workloads(spec: str) -> list[tuple[Workload, tuple[str, ...]]]:
    """Resolves names and groups to workloads and their engines, in registry order. A query runs
    on ChurnCube only when named or selected through `queries`; `duckdb-queries` is DuckDB alone."""
    tokens = [token.strip() for token in spec.split(",") if token.strip()]
    groups = sorted({group for workload in WORKLOADS.values() for group in workload.groups})
    engines: dict[str, set[str]] = {}
    for token in tokens:
        if token in WORKLOADS:
            engines.setdefault(token, set()).update(WORKLOADS[token].engines)
        elif token in groups:
            for name, workload in WORKLOADS.items():
                if token in workload.groups:
                    chosen = {DUCKDB} if token == "duckdb-queries" else set(workload.engines)
                    engines.setdefault(name, set()).update(chosen & set(workload.engines))
        else:
            raise SystemExit(f"unknown workload '{token}'; workloads: {', '.join(WORKLOADS)}; groups: {', '.join(groups)}")
    return [(workload, tuple(engine for engine in ENGINES if engine in engines[name]))
            for name, workload in WORKLOADS.items() if name in engines]


@dataclass
class OrderRun:
    """The workloads measured on the CSV of one row order."""

    order: str
    ctx: Context
    results: list[WorkloadResult]


def run_order(arguments: argparse.Namespace, order: str, selection: list[tuple[Workload, tuple[str, ...]]]) -> OrderRun:
    data_dir = arguments.data_dir.resolve()
    dataset = prepare_dataset(data_dir, arguments.rows, arguments.seed, order)
    ctx = Context(dataset=dataset, data_dir=data_dir, repeat=arguments.repeat,
                  threads=arguments.threads, account=arguments.account)
    queries_by_name = {query.name: query for query in QUERIES + TIME_QUERIES + ACCOUNT_QUERIES}
    ctx.churncube_queries = [queries_by_name[workload.name] for workload, engines in selection
                             if workload.name in queries_by_name and CHURNCUBE in engines]
    results: list[WorkloadResult] = []
    for workload, engines in selection:
        print(f"{workload.name}: {', '.join(engines)} on {dataset.rows:,} rows, order {order}", file=sys.stderr)
        results.append(workload.run(ctx, workload, engines))
    if ctx._duckdb_connection is not None:
        ctx._duckdb_connection.close()
    return OrderRun(order, ctx, results)


def main(argv: list[str]) -> int:
    global BINARY
    arguments = parse_arguments(argv)
    BINARY = arguments.binary
    selection = select_workloads(arguments.workloads)
    import duckdb

    started = dt.datetime.now(dt.timezone.utc)
    machine = machine_info()
    binary = ensure_binary(arguments.build)
    notes: list[str] = []
    if any(workload.name == "hotspots" and CHURNCUBE in engines for workload, engines in selection):
        notes.append("hotspots: ChurnCube's HOTSPOTS also tests significance, so it does more work than the DuckDB query")
    runs = []
    for order in arguments.order:
        try:
            runs.append(run_order(arguments, order, selection))
        except BenchmarkError as error:
            raise BenchmarkError(f"order {order}: {error}") from error
    # Notes of one order say which; a note that every order raised is said once, without an order.
    for index, run in enumerate(runs):
        for note in dict.fromkeys(run.ctx.notes):
            if all(note in other.ctx.notes for other in runs):
                if index == 0:
                    notes.append(note)
            else:
                notes.append(f"order {run.order}: {note}")

    summary = []
    for run in runs:
        rows = [row for result in run.results for row in summarize(result, run.order)]
        summary += rows
        if (row := geometric_mean_row(rows, run.order)) is not None:
            summary.append(row)
    machine["load_average_end"] = os.getloadavg()
    if BINARY.exists() and binary_info() != binary:
        notes.append(f"{BINARY} changed during the run (modified {binary_info()['modified']}); "
                     "its figures may mix two builds, rerun")
    header = [f"ChurnCube vs DuckDB, {started:%Y-%m-%d %H:%M} UTC", ""]
    for run in runs:
        dataset = run.ctx.dataset
        header.append(f"- data, order {run.order}: {dataset.rows:,} rows x {dataset.columns} columns, "
                      f"CSV {dataset.csv_bytes / 1e6:,.0f} MB (seed {dataset.seed})")
    header += [
        f"- machine: {machine['nproc']} CPUs, {machine['cpu_model']}, "
        f"{(machine['memory_bytes'] or 0) / 2**30:.0f} GiB, load average {machine['load_average'][0]:.2f} at start, "
        f"{machine['load_average_end'][0]:.2f} at end",
        f"- DuckDB {duckdb.__version__}, {arguments.threads} threads; medians of {arguments.repeat} runs; MB = 10^6 bytes",
    ]
    baselines = [result.extra["duckdb_rss_before_load_bytes"] for run in runs for result in run.results
                 if result.extra.get("duckdb_rss_before_load_bytes")]
    if baselines:
        header.append(f"- peak memory is each process's max RSS; DuckDB's runs in a Python child that "
                      f"holds {median(baselines) / 1e6:,.0f} MB before the load starts")
    print("\n".join(header))
    print()
    print(markdown_table(summary))
    if notes:
        print()
        for note in dict.fromkeys(notes):
            print(f"- note: {note}")

    report = {
        "started": started.isoformat(timespec="seconds"),
        "finished": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
        "arguments": {key: str(value) if isinstance(value, Path) else value for key, value in vars(arguments).items()},
        "machine": machine,
        "duckdb_version": duckdb.__version__,
        "churncube": {"binary": binary,
                      "git": git_revision(source) if (source := binary_repository()) else None,
                      "benchmark_git": git_revision()},
        "datasets": {run.order: run.ctx.dataset.as_json() for run in runs},
        "summary": summary,
        "workloads": [{"order": run.order, "name": r.name, "summary": r.summary, "samples": r.samples, "extra": r.extra,
                       "metrics": [dataclasses.asdict(m) for m in r.metrics]} for run in runs for r in run.results],
        "notes": list(dict.fromkeys(notes)),
    }
    path = arguments.json or BENCH_DIR / "results" / f"{started:%Y%m%dT%H%M%SZ}.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(report, indent=2) + "\n")
    print(f"\nraw measurements: {path}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main(sys.argv[1:]))
    except BenchmarkError as error:
        print(f"benchmark error: {error}", file=sys.stderr)
        sys.exit(1)
    except KeyboardInterrupt:
        sys.exit(130)
