"""Runs SQL queries on DuckDB over a subscriptions CSV and prints their rows as JSON.

Input on stdin: {"csv": path, "queries": [sql, ...]}. Output on stdout: a list with, per query,
{"rows": [[value, ...], ...]} or {"error": message}. Dimensions are read as text, money as
DECIMAL(18,2) (exact cents, as the cube stores it) and counts as BIGINT, so both engines see the
same values and money arithmetic is exact on both sides.
"""
import json
import math
import sys

import duckdb

DIMENSIONS = ["account_id", "period", "cohort", "channel", "campaign", "segment", "industry", "region",
              "country", "plan", "tier", "usage_pattern", "health"]
MONEY = ["mrr_start", "mrr_end", "churned_mrr", "downsell_mrr", "upsell_mrr", "crosssell_mrr"]


def main():
    request = json.load(sys.stdin)
    connection = duckdb.connect()
    connection.execute("SET threads = 2")
    header = open(request["csv"], encoding="utf-8").readline().strip().split(",")
    types = {name: ("VARCHAR" if name in DIMENSIONS else "DECIMAL(18,2)" if name in MONEY else "BIGINT") for name in header}
    connection.execute(f"CREATE TABLE subscriptions AS SELECT * FROM read_csv(?, header = true, columns = {types!r})",
                       [request["csv"]])
    results = []
    for sql in request["queries"]:
        try:
            rows = connection.execute(sql).fetchall()
            results.append({"rows": [[convert(value) for value in row] for row in rows]})
        except Exception as error:  # the caller reports the failing query
            results.append({"error": str(error)})
    json.dump(results, sys.stdout)


def convert(value):
    if value is None or isinstance(value, (str, bool)):
        return value
    number = float(value)
    if math.isnan(number) or math.isinf(number):
        return "non-finite " + repr(number)
    return number


if __name__ == "__main__":
    main()
