"""Benchmark the batch pipeline on the 1,000,000-line synthetic dataset: import, RFM, train, recommendations.

    .venv/bin/python benchmarks/pipeline.py --db sqlite
    .venv/bin/python benchmarks/pipeline.py --db postgres

Each step runs as its own `manage.py` process on a fresh database (DEBUG off), timed with /usr/bin/time -v
(wall seconds and peak memory). The database is left in place for benchmarks/api.py and the locust run.
"""

import argparse
import json
import re

from _common import dataset, environment, fresh_database, manage, save

TARGETS = {"import_transactions": 60, "compute_rfm": 10, "train": 60, "build_recommendations": 30}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", choices=["sqlite", "postgres"], required=True)
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--customers", type=int, default=100_000)
    parser.add_argument("--products", type=int, default=2_000)
    parser.add_argument("--skip-evaluation", action="store_true", help="Do not run evaluate_recommendations.")
    args = parser.parse_args()

    path = dataset(args.rows, args.customers, args.products)
    url = fresh_database(args.db)
    env = environment(url)
    manage(["migrate", "--noinput", "-v", "0"], env)
    steps = [
        manage(["import_transactions", str(path), "--quiet"], env),
        manage(["compute_rfm"], env),
        manage(["train", "--skip-recommendations"], env),
        manage(["build_recommendations"], env),
    ]
    report = {"db": args.db, "rows": args.rows, "customers": args.customers, "products": args.products, "steps": []}
    for step in steps:
        name = step["command"].split()[0]
        report["steps"].append(
            {
                "step": name,
                "seconds": step["seconds"],
                "peak_rss_mb": step["peak_rss_mb"],
                "target_seconds": TARGETS.get(name),
                "within_target": step["seconds"] <= TARGETS.get(name, float("inf")),
            }
        )
    train_out = steps[2]["stdout"]
    selected = re.search(r"Model #\d+ \((\w+)\) is active", train_out)
    report["train_selected"] = selected.group(1) if selected else None
    report["train_summary"] = [line for line in train_out.splitlines() if line.startswith(("*", "  "))][:12]
    report["recommendation_build"] = steps[3]["stdout"].strip().splitlines()[-4:]
    if not args.skip_evaluation:
        evaluation = manage(["evaluate_recommendations", "--cutoff", "2024-10-31", "--json"], env)
        report["evaluate_recommendations"] = json.loads(evaluation["stdout"])
        report["evaluate_recommendations_seconds"] = evaluation["seconds"]
    saved = save(f"pipeline-{args.db}", report)
    print(json.dumps({k: v for k, v in report.items() if k != "train_summary"}, indent=2))
    print("\n".join(report["train_summary"]))
    print(f"\nSaved {saved}")


if __name__ == "__main__":
    main()
