#!/usr/bin/env python3
"""ChurnCube on Spark beside PySpark on the same Spark: what ChurnCube's own client adds.

    .venv/bin/python3 Benchmarks/spark.py --rows 10000000 [--order account,period] [--repeat 3]
                      [--data-dir Benchmarks/data] [--binary .build/release/churncube]
                      [--url sc://127.0.0.1:15002] [--statements q1,hotspots] [--json out.json]

The binary must be built with the Spark trait (`swift build -c release --traits Spark`). Without
--url a Spark Connect server is started in local[2] mode on 127.0.0.1 (.ci/spark-connect-start)
and stopped at the end. For each row order the generated CSV is written once as Parquet by
Spark and registered as a table; then each statement runs through ChurnCube
(`churncube --engine ... -f script --timer`, one session) and the very SQL ChurnCube sends (read
from its EXPLAIN) runs through PySpark (`spark.sql(sql).toArrow()`), `repeat` times each after
one untimed run: the ChurnCube runs in one session, then the PySpark ones. Printed: medians and
the ratio ChurnCube / PySpark.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
CUBE = REPO / "Cubes" / "subscriptions.yaml"
RUN_TIME = re.compile(r"^Run Time: ([0-9.eE+-]+) s, (\d+) rows?\s*$", re.MULTILINE)
MONEY = {"mrr_start", "mrr_end", "churned_mrr", "downsell_mrr", "upsell_mrr", "crosssell_mrr"}
HOTSPOT_DIMENSIONS = ("channel", "campaign", "segment", "industry", "region", "country", "plan", "usage_pattern")

STATEMENTS = {
    "q1": "SELECT region, channel, customers, logo_churn_rate, revenue_churn_rate, nrr FROM subscriptions "
          "GROUP BY ROLLUP(region, channel)",
    "mrr by quarter": "SELECT quarter, segment, mrr, nrr FROM subscriptions GROUP BY quarter, segment",
    "hotspots": "HOTSPOTS logo_churn_rate FROM subscriptions BY " + ", ".join(HOTSPOT_DIMENSIONS)
                + " DEPTH 3 MIN SUPPORT 500 LIMIT 20",
}


def fail(message: str) -> None:
    print(f"spark.py: {message}", file=sys.stderr)
    sys.exit(1)


def dataset(binary: Path, data_dir: Path, rows: int, seed: int, order: str) -> Path:
    csv = data_dir / f"facts-r{rows}-s{seed}-{order}.csv"
    if not csv.exists():
        data_dir.mkdir(parents=True, exist_ok=True)
        partial = csv.with_suffix(".csv.partial")
        print(f"generating {rows:,} rows ({order} order) into {csv}...", file=sys.stderr)
        subprocess.run([str(binary), "generate", "--rows", str(rows), "--seed", str(seed), "--order", order,
                        "--out", str(partial)], check=True)
        partial.replace(csv)
    return csv


def register(spark, csv: Path, table: str) -> None:
    """The CSV as a Parquet table, typed as the cube declares its columns."""
    parquet = csv.with_suffix(".parquet")
    header = csv.open().readline().strip().split(",")
    facts = {line.split(":")[0].strip() for line in CUBE.read_text().split("facts:")[1].split("\n\n")[0].splitlines()[1:]
             if ":" in line and not line.strip().startswith("#")}
    def kind(column: str) -> str:
        if column in MONEY:
            return "DECIMAL(19,2)"
        return "BIGINT" if column in facts else "STRING"
    schema = ", ".join(f"`{column}` {kind(column)}" for column in header)
    if not parquet.exists():
        started = time.monotonic()
        print(f"  writing {parquet.name} with Spark...", file=sys.stderr)
        spark.read.schema(schema).option("header", "true").option("escape", '"').csv(str(csv)) \
            .write.mode("overwrite").parquet(str(parquet))
        print(f"  {time.monotonic() - started:.1f} s", file=sys.stderr)
    spark.sql(f"CREATE TABLE IF NOT EXISTS {table} USING parquet LOCATION '{parquet}'")


def churncube(binary: Path, url: str, table: str, statements: list[str], *, timer: bool = True) -> subprocess.CompletedProcess:
    with tempfile.NamedTemporaryFile("w", suffix=".cq", delete=False) as script:
        script.write("\n".join(statement.rstrip(";") + ";" for statement in statements) + "\n")
    try:
        command = [str(binary), "--engine", url, "--table", table, "--cube", str(CUBE), "-f", script.name]
        run = subprocess.run(command + (["--timer"] if timer else []), capture_output=True, text=True)
    finally:
        os.unlink(script.name)
    if run.returncode != 0:
        fail(f"churncube failed ({run.returncode}): {run.stderr.strip()[-2000:]}")
    return run


def sent_sql(binary: Path, url: str, table: str, statement: str) -> list[str]:
    """The statements ChurnCube sends for `statement`, from its EXPLAIN."""
    text = churncube(binary, url, table, ["EXPLAIN " + statement], timer=False).stdout
    lines = text.split("\n")
    start = next(index for index, line in enumerate(lines) if line.startswith("SQL sent")) + 1
    block: list[str] = []
    for line in lines[start:]:
        if line and not line.startswith("  "):
            break
        block.append(line[2:])
    return [sql.strip() for sql in "\n".join(block).split("\n\n") if sql.strip()]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=10_000_000)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--order", default="account,period")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--data-dir", type=Path, default=REPO / "Benchmarks" / "data")
    parser.add_argument("--binary", type=Path, default=REPO / ".build" / "release" / "churncube")
    parser.add_argument("--url")
    parser.add_argument("--port", type=int, default=15302)
    parser.add_argument("--statements", default=",".join(STATEMENTS), help="which of: " + ", ".join(STATEMENTS))
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    if not args.binary.exists():
        fail(f"{args.binary} does not exist: swift build -c release --traits Spark")

    from pyspark.sql import SparkSession

    server_state = None
    url = args.url
    if url is None:
        server_state = Path(tempfile.mkdtemp(prefix="churncube-spark-"))
        environment = dict(os.environ, PYTHON=sys.executable, SPARK_DRIVER_MEMORY=os.environ.get("SPARK_DRIVER_MEMORY", "4g"))
        subprocess.run([str(REPO / ".ci" / "spark-connect-start"), str(args.port), str(server_state / "pid"),
                        str(server_state / "log")], check=True, env=environment)
        url = f"sc://127.0.0.1:{args.port}"
    results: dict[str, dict] = {}
    try:
        spark = SparkSession.builder.remote(url).getOrCreate()
        version = spark.version
        for order in args.order.split(","):
            table = f"facts_r{args.rows}_{order}"
            register(spark, dataset(args.binary, args.data_dir, args.rows, args.seed, order), table)
            opened = churncube(args.binary, url, table, ["SELECT customers FROM subscriptions"])
            for name in args.statements.split(","):
                statement = STATEMENTS[name]
                sqls = sent_sql(args.binary, url, table, statement)
                # Each side in its steady state: one ChurnCube session runs the statement
                # repeat + 1 times, then PySpark runs the SQL as often; the first of each is
                # left out (on Spark the first statement after opening the cube runs slower).
                run = churncube(args.binary, url, table, [statement] * (args.repeat + 1))
                ours = [float(value) for value, _ in RUN_TIME.findall(run.stderr)][1:]
                if len(ours) != args.repeat:
                    fail(f"expected {args.repeat + 1} timings from churncube, got: {run.stderr.strip()[-2000:]}")
                theirs: list[float] = []
                for attempt in range(args.repeat + 1):
                    started = time.monotonic()
                    rows = sum(spark.sql(sql).toArrow().num_rows for sql in sqls)
                    elapsed = time.monotonic() - started
                    if attempt > 0:
                        theirs.append(elapsed)
                results[f"{order}/{name}"] = {
                    "order": order, "statement": statement, "sql": sqls, "groups_returned": rows,
                    "churncube_seconds": ours, "pyspark_seconds": theirs,
                    "ratio": statistics.median(ours) / statistics.median(theirs),
                }
                print(f"{order:8} {name:15} ChurnCube {statistics.median(ours):7.2f} s   PySpark {statistics.median(theirs):7.2f} s"
                      f"   ratio {statistics.median(ours) / statistics.median(theirs):.2f}   ({len(sqls)} statement(s), {rows:,} groups)")
            results[f"{order}/open"] = {"stderr": opened.stderr.strip()}
        spark.stop()
    finally:
        if server_state is not None:
            subprocess.run([str(REPO / ".ci" / "spark-connect-stop"), str(server_state / "pid")])
    print()
    print(f"| statement ({args.rows:,} rows, Spark {version} local[2]) | order | ChurnCube | PySpark, same SQL | ratio |")
    print("|---|---|---:|---:|---:|")
    for key, value in results.items():
        if "ratio" in value:
            name = key.split("/", 1)[1]
            print(f"| {name} | {value['order']} | {statistics.median(value['churncube_seconds']):.2f} s "
                  f"| {statistics.median(value['pyspark_seconds']):.2f} s | {value['ratio']:.2f} |")
    if args.json:
        args.json.write_text(json.dumps({"rows": args.rows, "spark": version, "url": url, "results": results}, indent=2) + "\n")


if __name__ == "__main__":
    main()
