#!/usr/bin/env python3
"""Hot-spot quality: does HOTSPOTS find what the generator planted, only that, and nothing in null data?

    .venv/bin/python3 Benchmarks/hotspot_quality.py [--rows 1000000] [--seeds 20] [--first-seed 1]
                                          [--binary .build/release/churncube] [--data-dir DIR]
                                          [--json out.json]

For each seed it generates the planted facts and the --no-effects facts (same accounts), runs
the statement below for logo churn, revenue churn and NRR on both, and scores the findings
against the effects of Samples/README.md ("Planted effects"):

    HOTSPOTS <measure> BY channel, campaign, segment, industry, region, country, plan, usage_pattern
             DEPTH 3 MIN SUPPORT 300 LIMIT 20

- A finding is true when it states one planted effect: every part of the effect is one of its
  conditions (a hierarchy level above the planted member stands in for it: region = amer for
  country = US, a campaign of the reseller channel for channel = reseller in the US × reseller
  interaction), and it has no other condition. Each effect counts once: a second finding of the
  same effect is not true (it is the repetition the search should fold away).
- recall: planted effects found among the findings shown, over all planted effects (main
  effects and interactions separately); interactions in top 10: the share of seeds in which
  every planted interaction is among the first ten rows.
- precision@k: true findings among the first k rows over the rows shown (at most k).
- null: the share of seeds in which the --no-effects data gives any finding at all.

Standard library only; asserts it measured what it claims (rows generated, statements run).
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
REPO_DIR = BENCH_DIR.parent
CUBE_FILE = REPO_DIR / "Cubes" / "subscriptions.yaml"
DIMENSIONS = ("channel", "campaign", "segment", "industry", "region", "country", "plan", "usage_pattern")
MEASURES = ("logo_churn_rate", "revenue_churn_rate", "nrr")

RESELLER_CAMPAIGNS = ("var", "distributor", "marketplace")
# Parts of an effect: each a set of (dimension, member) that state it.
CHURN_MAIN = [
    ("channel = reseller", [{("channel", "reseller")}]),
    ("segment = smb", [{("segment", "smb")}]),
    ("usage_pattern = dormant", [{("usage_pattern", "dormant")}]),
    ("usage_pattern = light", [{("usage_pattern", "light")}]),
]
CHURN_INTERACTIONS = [
    ("country = US × channel = reseller",
     [{("country", "US"), ("region", "amer")}, {("channel", "reseller")} | {("campaign", c) for c in RESELLER_CAMPAIGNS}]),
    ("industry = healthcare × usage_pattern = light", [{("industry", "healthcare")}, {("usage_pattern", "light")}]),
    ("campaign = display × segment = smb", [{("campaign", "display"), ("channel", "online")}, {("segment", "smb")}]),
]
DOWNSELL_INTERACTIONS = [
    ("region = latam × plan = starter",
     [{("region", "latam")} | {("country", c) for c in ("BR", "MX", "AR", "CL")}, {("plan", "starter")}]),
]
PLANTED = {
    "logo_churn_rate": (CHURN_MAIN, CHURN_INTERACTIONS),
    "revenue_churn_rate": (CHURN_MAIN, CHURN_INTERACTIONS),
    "nrr": (CHURN_MAIN, CHURN_INTERACTIONS + DOWNSELL_INTERACTIONS),
}


def statement(measure: str) -> str:
    return f"HOTSPOTS {measure} BY {', '.join(DIMENSIONS)} DEPTH 3 MIN SUPPORT 300 LIMIT 20;"


def run(command: list[str]) -> str:
    done = subprocess.run(command, capture_output=True, text=True)
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed ({done.returncode}): {done.stderr.strip()[-2000:]}")
    return done.stdout


def findings(binary: Path, csv: Path) -> dict[str, list[dict[str, str]]]:
    """The cells HOTSPOTS reports for each measure, in rank order."""
    output = run([str(binary), str(csv), "--cube", str(CUBE_FILE), "--format", "json",
                  "-c", " ".join(statement(m) for m in MEASURES)])
    documents = [json.loads(line) for line in output.splitlines() if line.strip()]
    if len(documents) != len(MEASURES):
        raise SystemExit(f"expected {len(MEASURES)} results from {csv}, got {len(documents)}")
    result = {}
    for measure, document in zip(MEASURES, documents):
        if not document["statement"].startswith(f"HOTSPOTS {measure} "):
            raise SystemExit(f"result for {measure} is of another statement: {document['statement']}")
        result[measure] = [row["cell"] for row in document.get("rows", [])]
    return result


def matches(cell: dict[str, str], parts: list[set[tuple[str, str]]]) -> bool:
    conditions = set(cell.items())
    if len(conditions) != len(parts):
        return False
    used: set[tuple[str, str]] = set()
    for part in parts:
        hit = conditions & part - used
        if not hit:
            return False
        used.add(sorted(hit)[0])
    return used == conditions


def score(cells: list[dict[str, str]], measure: str) -> dict:
    main, interactions = PLANTED[measure]
    effects = main + interactions
    found: dict[str, int] = {}
    truth = []
    for rank, cell in enumerate(cells):
        name = next((name for name, parts in effects if matches(cell, parts)), None)
        truth.append(name is not None and name not in found)
        if name is not None and name not in found:
            found[name] = rank
    def precision(k: int) -> float | None:
        shown = truth[:k]
        return sum(shown) / len(shown) if shown else None
    return {
        "rows": len(cells),
        "main_recall": sum(name in found for name, _ in main) / len(main),
        "interaction_recall": sum(name in found for name, _ in interactions) / len(interactions),
        "interactions_in_top10": all(found.get(name, 99) < 10 for name, _ in interactions),
        "precision@10": precision(10), "precision@15": precision(15), "precision@20": precision(20),
        "false": [cell for cell, true in zip(cells, truth) if not true],
    }


def mean(values: list) -> float | None:
    values = [v for v in values if v is not None]
    return statistics.fmean(values) if values else None


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--seeds", type=int, default=20)
    parser.add_argument("--first-seed", type=int, default=1)
    parser.add_argument("--binary", type=Path, default=REPO_DIR / ".build" / "release" / "churncube")
    parser.add_argument("--data-dir", type=Path)
    parser.add_argument("--json", type=Path)
    arguments = parser.parse_args()
    if not arguments.binary.exists():
        raise SystemExit(f"no binary at {arguments.binary}; build with: swift build -c release --product churncube")

    scratch = tempfile.TemporaryDirectory() if arguments.data_dir is None else None
    data_dir = Path(scratch.name) if scratch else arguments.data_dir
    data_dir.mkdir(parents=True, exist_ok=True)
    planted: dict[str, list[dict]] = {m: [] for m in MEASURES}
    null_any: dict[str, list[bool]] = {m: [] for m in MEASURES}
    for seed in range(arguments.first_seed, arguments.first_seed + arguments.seeds):
        for effects in (True, False):
            csv = data_dir / f"quality-r{arguments.rows}-s{seed}-{'planted' if effects else 'null'}.csv"
            run([str(arguments.binary), "generate", "--rows", str(arguments.rows), "--seed", str(seed), "--out", str(csv)]
                + ([] if effects else ["--no-effects"]))
            with csv.open("rb") as file:
                lines = sum(1 for _ in file) - 1
            if lines != arguments.rows:
                raise SystemExit(f"{csv} has {lines} rows, not {arguments.rows}")
            result = findings(arguments.binary, csv)
            csv.unlink()
            for measure in MEASURES:
                if effects:
                    planted[measure].append(score(result[measure], measure))
                else:
                    null_any[measure].append(bool(result[measure]))
        print(f"seed {seed}: " + ", ".join(
            f"{m} p@15 {planted[m][-1]['precision@15'] or 0:.2f} null {len([1 for _ in null_any[m] if _])}/{len(null_any[m])}"
            for m in MEASURES), file=sys.stderr)

    table = ["| measure | main-effect recall | interaction recall | all interactions in top 10 | precision@10 | precision@15 "
             "| precision@20 | null runs with a finding |", "|---|---|---|---|---|---|---|---|"]
    summary = {}
    for measure in MEASURES:
        runs = planted[measure]
        row = {
            "main_recall": mean([r["main_recall"] for r in runs]),
            "interaction_recall": mean([r["interaction_recall"] for r in runs]),
            "interactions_in_top10": mean([float(r["interactions_in_top10"]) for r in runs]),
            "precision@10": mean([r["precision@10"] for r in runs]),
            "precision@15": mean([r["precision@15"] for r in runs]),
            "precision@20": mean([r["precision@20"] for r in runs]),
            "null_any": mean([float(a) for a in null_any[measure]]),
        }
        summary[measure] = row
        def f(value):
            return "n/a" if value is None else f"{value:.2f}"
        table.append(f"| {measure} | {f(row['main_recall'])} | {f(row['interaction_recall'])} | {f(row['interactions_in_top10'])} "
                     f"| {f(row['precision@10'])} | {f(row['precision@15'])} | {f(row['precision@20'])} | {f(row['null_any'])} |")
    print(f"{arguments.seeds} seeds ({arguments.first_seed}..{arguments.first_seed + arguments.seeds - 1}), "
          f"{arguments.rows:,} rows each, planted and --no-effects\n")
    print("\n".join(table))
    if arguments.json:
        arguments.json.write_text(json.dumps({"rows": arguments.rows, "seeds": arguments.seeds, "summary": summary,
                                              "planted": planted, "null_any": null_any}, indent=1))


if __name__ == "__main__":
    main()
