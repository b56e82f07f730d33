#!/usr/bin/env python3
"""Measures the realized churn rate and planted effects of a generated facts CSV with DuckDB.

Usage: python3 Samples/measure_effects.py facts.csv
"""
import sys

import duckdb


def main(path):
    con = duckdb.connect()
    con.execute(
        "CREATE VIEW f AS SELECT * REPLACE (churned::INT AS churned, cancelled::INT AS cancelled, "
        "renewal_due::INT AS renewal_due, renewed::INT AS renewed) "
        f"FROM read_csv('{path}', header = true, all_varchar = false)"
    )

    def one(sql):
        return con.execute(sql).fetchone()

    rows, accounts, churn, cancel_share, renewal, nrr, nps_null = one(
        "SELECT count(*), count(DISTINCT account_id), avg(churned), sum(cancelled) / sum(churned), "
        "sum(renewed) / sum(renewal_due), "
        "(sum(mrr_start) - sum(churned_mrr) - sum(downsell_mrr) + sum(upsell_mrr) + sum(crosssell_mrr)) "
        "/ sum(mrr_start), avg((nps IS NULL)::INT) FROM f"
    )
    print(f"rows {rows:,}  accounts {accounts:,}")
    print(f"logo churn rate {churn:.4%}  cancelled/churned {cancel_share:.1%}  renewal rate {renewal:.2%}")
    print(f"monthly NRR {nrr:.4f}  nps NULL {nps_null:.1%}")
    for tier, share_accounts, share_revenue in con.execute(
        "SELECT tier, count(DISTINCT account_id) / (SELECT count(DISTINCT account_id) FROM f), "
        "sum(mrr_start) / (SELECT sum(mrr_start) FROM f) FROM f GROUP BY tier ORDER BY tier"
    ).fetchall():
        print(f"{tier}: {share_accounts:.1%} of accounts, {share_revenue:.1%} of MRR")

    def rate(condition):
        return one(f"SELECT avg(churned), count(*) FROM f WHERE {condition}")

    print("\nmain effects: logo churn of the cell / of the rest (marginal, other factors not held fixed)")
    for condition in [
        "channel = 'reseller'",
        "segment = 'smb'",
        "usage_pattern = 'dormant'",
        "usage_pattern = 'light'",
        "health = 'red'",
    ]:
        (cell, n), (rest, _) = rate(condition), rate(f"NOT ({condition})")
        print(f"  {condition:28} n={n:>9,} rate {cell:.4f} rest {rest:.4f} ratio {cell / rest:.2f}")

    # Usage pattern drives health, so compare red with green within each usage pattern.
    red_vs_green = one(
        "SELECT sum(red_churn * green_rows) / sum(green_churn * red_rows) FROM ("
        "SELECT usage_pattern, sum(churned) FILTER (health = 'red') AS red_churn, "
        "count(*) FILTER (health = 'red') AS red_rows, sum(churned) FILTER (health = 'green') AS green_churn, "
        "count(*) FILTER (health = 'green') AS green_rows FROM f GROUP BY usage_pattern)"
    )[0]
    print(f"  health red vs green within the same usage pattern (Mantel-Haenszel ratio): {red_vs_green:.2f}")

    print("\ninteractions: cell rate vs what its two parts predict (rate(A) * rate(B) / overall),")
    print("and the interaction ratio (rate(A,B) / rate(A,not B)) / (rate(not A,B) / rate(not A,not B))")
    for a, b in [
        ("country = 'US'", "channel = 'reseller'"),
        ("industry = 'healthcare'", "usage_pattern = 'light'"),
        ("campaign = 'display'", "segment = 'smb'"),
    ]:
        (ab, n), (a_only, _), (b_only, _) = rate(f"{a} AND {b}"), rate(a), rate(b)
        predicted = a_only * b_only / churn
        (a_not_b, _), (not_a_b, _), (not_a_not_b, _) = (
            rate(f"{a} AND NOT ({b})"), rate(f"NOT ({a}) AND {b}"), rate(f"NOT ({a}) AND NOT ({b})"))
        ratio = (ab / a_not_b) / (not_a_b / not_a_not_b)
        print(f"  {a} AND {b}: n={n:,} rate {ab:.4f} predicted {predicted:.4f} "
              f"lift {ab / predicted - 1:+.0%} interaction ratio {ratio:.2f}")

    parent = rate("region = 'amer' AND channel = 'reseller'")[0]
    us = rate("country = 'US' AND channel = 'reseller'")[0]
    print(f"  US reseller vs amer reseller (parent): {us:.4f} vs {parent:.4f}, lift {us / parent - 1:+.0%}")

    print("\nrevenue: downsell rate and NRR, SUM(x) / SUM(mrr_start)")
    for label, condition in [
        ("region = latam AND plan = starter", "region = 'latam' AND plan = 'starter'"),
        ("region = latam", "region = 'latam'"),
        ("plan = starter", "plan = 'starter'"),
        ("everything else", "NOT (region = 'latam' AND plan = 'starter')"),
    ]:
        downsell, cell_nrr, n = one(
            "SELECT sum(downsell_mrr) / sum(mrr_start), "
            "(sum(mrr_start) - sum(churned_mrr) - sum(downsell_mrr) + sum(upsell_mrr) + sum(crosssell_mrr)) "
            f"/ sum(mrr_start), count(*) FROM f WHERE {condition}"
        )
        print(f"  {label:34} n={n:>9,} downsell {downsell:.4%} NRR {cell_nrr:.4f}")


if __name__ == "__main__":
    main(sys.argv[1])
