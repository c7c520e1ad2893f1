"""Production load test: 60 s at 32 users of mixed traffic (locust, headless) against gunicorn + PostgreSQL.

    .venv/bin/python benchmarks/pipeline.py --db postgres     # once: loads the 1M-line dataset
    .venv/bin/python benchmarks/load.py

Reports p50/p95/p99 and requests/s per request type and overall, and the number of failures.
"""

import argparse
import csv
import json
import subprocess
from pathlib import Path

from _common import OUT, PYTHON, ROOT, api_environment, api_fixtures, gunicorn, save

PORT = 8125


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", choices=["sqlite", "postgres"], default="postgres")
    parser.add_argument("--users", type=int, default=32)
    parser.add_argument("--seconds", type=int, default=60)
    args = parser.parse_args()
    env = api_environment(args.db)
    token, sample = api_fixtures(env)
    sample_path = OUT / "load-sample.json"
    sample_path.write_text(json.dumps(sample))
    prefix = OUT / f"locust-{args.db}"
    with gunicorn(env, PORT) as base:
        subprocess.run(
            [
                str(Path(PYTHON).parent / "locust"),
                "-f",
                str(ROOT / "benchmarks" / "locustfile.py"),
                "--headless",
                "--users",
                str(args.users),
                "--spawn-rate",
                str(args.users),
                "--run-time",
                f"{args.seconds}s",
                "--host",
                base,
                "--csv",
                str(prefix),
                "--only-summary",
            ],
            env={**env, "BENCH_TOKEN": token, "BENCH_SAMPLE": str(sample_path)},
            cwd=ROOT,
            check=False,
            capture_output=True,
        )
    rows = list(csv.DictReader(open(f"{prefix}_stats.csv")))  # noqa: SIM115
    report = {"db": args.db, "users": args.users, "seconds": args.seconds, "requests": {}}
    for row in rows:
        report["requests"][row["Name"]] = {
            "requests": int(row["Request Count"]),
            "failures": int(row["Failure Count"]),
            "rps": round(float(row["Requests/s"]), 1),
            "p50_ms": float(row["50%"]),
            "p95_ms": float(row["95%"]),
            "p99_ms": float(row["99%"]),
        }
    print(json.dumps(report, indent=2))
    print(f"Saved {save(f'load-{args.db}', report)}")


if __name__ == "__main__":
    main()
