"""Runs SQL queries on DuckDB over a CSV of cube facts and prints their rows as JSON.

Input on stdin: {"csv": path, "table": name, "types": {column: SQL type}, "levels": {name: SQL},
"queries": [sql, ...]}. The CSV is read with exactly the given types (dimensions VARCHAR, money
DECIMAL(18,2), integers BIGINT, doubles DOUBLE), so both engines see the same values, into a
table that a view named `table` extends with the cube's levels (quarter, year) as columns.

Output on stdout: a list with, per query, {"rows": [[value, ...], ...]} or {"error": message}.
A value is null, a boolean, a string (text), a float, {"exact": "digits"} for integers and
decimals (exact, whatever their size) or {"nonfinite": "inf"}.
"""
import csv
import decimal
import json
import math
import sys

import duckdb


def main():
    request = json.load(sys.stdin)
    connection = duckdb.connect()
    connection.execute("SET threads = 2")
    table = request["table"]
    with open(request["csv"], encoding="utf-8", newline="") as file:
        header = next(csv.reader(file))
    # The reader maps types to columns by position: in the order of the header.
    types = {name: request["types"][name] for name in header}
    connection.execute(f"CREATE TABLE raw_{table} AS SELECT * FROM read_csv(?, header = true, columns = {types!r})",
                       [request["csv"]])
    levels = "".join(f", {sql} AS {name}" for name, sql in request.get("levels", {}).items())
    connection.execute(f"CREATE VIEW {table} AS SELECT *{levels} FROM raw_{table}")
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
    if isinstance(value, int):
        return {"exact": str(value)}
    if isinstance(value, decimal.Decimal):
        return {"exact": format(value, "f")}
    number = float(value)
    if math.isnan(number) or math.isinf(number):
        return {"nonfinite": repr(number)}
    return number


if __name__ == "__main__":
    main()
